//! Escape suite: from inside the sandbox, each attempt to leave it must fail, and fail for the
//! reason the isolation layer gives (errno checked, not only "non-zero"). Probes are written in
//! Perl, which Debian always ships (perl-base is Essential), so no test tool has to be installed.

mod sandbox_support;

use std::io::Read;
use std::net::TcpListener;
use std::os::unix::net::UnixListener;

use sandbox_support::{perl, run_captured};

const EPERM: &str = "1";
const ENOENT: &str = "2";
const EAGAIN: &str = "11";
const EACCES: &str = "13";
const EROFS: &str = "30";
const ENETUNREACH: &str = "101";

#[test]
fn host_loopback_listener_is_unreachable() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    // The same connect from the host works: the probe would see it if the sandbox leaked.
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
    let _ = listener.accept();
    let out = run_captured(
        perl(&format!(
            r#"use Socket; socket(S, PF_INET, SOCK_STREAM, 0) or die "socket $!";
               print connect(S, pack_sockaddr_in({port}, inet_aton("127.0.0.1"))) ? "connected" : $!+0"#
        )),
        |_| {},
    );
    // Landlock refuses TCP connect (EACCES) before the empty netns would (ENETUNREACH).
    assert!(
        [EACCES, ENETUNREACH].contains(&out.stdout.trim()),
        "{out:?}"
    );
    assert!(
        listener.accept().is_err(),
        "the host listener got a connection"
    );
}

#[test]
fn no_route_to_any_address_and_no_dns() {
    let out = run_captured(
        perl(
            r#"use Socket; socket(U, PF_INET, SOCK_DGRAM, 0) or die "socket $!";
               print send(U, "x", 0, pack_sockaddr_in(53, inet_aton("1.1.1.1"))) ? "sent " : ($!+0)." ";
               socket(T, PF_INET, SOCK_STREAM, 0) or die;
               print connect(T, pack_sockaddr_in(80, inet_aton("198.51.100.7"))) ? "connected " : ($!+0)." ";
               print defined(gethostbyname("example.com")) ? "resolved" : "unresolved""#,
        ),
        |_| {},
    );
    let fields: Vec<&str> = out.stdout.split_whitespace().collect();
    // UDP is not Landlock's business: the empty network namespace has no route.
    assert_eq!(fields.first(), Some(&ENETUNREACH), "{out:?}");
    assert!([EACCES, ENETUNREACH].contains(&fields[1]), "{out:?}");
    assert_eq!(fields.get(2), Some(&"unresolved"), "{out:?}");
}

#[test]
fn host_unix_socket_is_not_reachable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.sock");
    let _listener = UnixListener::bind(&path).unwrap();
    let out = run_captured(
        perl(&format!(
            r#"use Socket; socket(S, PF_UNIX, SOCK_STREAM, 0) or die "socket $!";
               print connect(S, pack_sockaddr_un("{}")) ? "connected " : ($!+0)." ";
               print -e "/run" ? "run-present" : "run-absent""#,
            path.display()
        )),
        |_| {},
    );
    assert_eq!(out.stdout.trim(), format!("{ENOENT} run-absent"), "{out:?}");
}

#[test]
fn writes_outside_scratch_fail_and_scratch_works() {
    let inputs = tempfile::tempdir().unwrap();
    let model = inputs.path().join("model.bin");
    std::fs::write(&model, b"weights").unwrap();
    let out = run_captured(
        perl(&format!(
            r#"for my $f ("/usr/aisvs-probe", "/aisvs-probe", "{model}", "/scratch/ok") {{
                   print open(my $h, ">", $f) ? "ok " : ($!+0)." ";
               }}"#,
            model = model.display()
        )),
        |c| c.read_only.push(inputs.path().to_path_buf()),
    );
    let fields: Vec<&str> = out.stdout.split_whitespace().collect();
    assert_eq!(fields, vec![EROFS, EROFS, EROFS, "ok"], "{out:?}");
    assert_eq!(std::fs::read(&model).unwrap(), b"weights");
}

#[test]
fn executing_from_scratch_is_refused() {
    let out = run_captured(
        perl(
            r#"open(my $in, "<", "/bin/true") or die; binmode $in; local $/; my $b = <$in>;
               open(my $out, ">", "/scratch/t") or die; binmode $out; print $out $b; close $out;
               chmod 0755, "/scratch/t"; exec("/scratch/t") or print $!+0"#,
        ),
        |_| {},
    );
    assert_eq!(out.stdout.trim(), EACCES, "{out:?}");
}

#[test]
fn host_processes_cannot_be_traced_or_seen() {
    let host_pid = std::process::id();
    let out = run_captured(
        perl(&format!(
            r#"print syscall(101, 16, {host_pid}, 0, 0) == -1 ? ($!+0)." " : "attached ";
               opendir(my $d, "/proc") or die; my @p = grep {{ /^\d+$/ }} readdir($d);
               print scalar(@p) < 5 ? "few " : "many "; print -e "/proc/{host_pid}/cmdline" ? "visible" : "hidden""#
        )),
        |_| {},
    );
    assert_eq!(out.stdout.trim(), format!("{EPERM} few hidden"), "{out:?}");
}

#[test]
fn namespace_mount_module_bpf_keyctl_userfaultfd_are_denied_by_seccomp() {
    // x86_64 numbers: mount, unshare(CLONE_NEWUSER), setns, init_module, finit_module,
    // bpf, keyctl, userfaultfd, io_uring_setup, raw clone(CLONE_NEWUSER|SIGCHLD).
    let calls = "[165,0,0,0,0],[272,0x10000000,0,0,0],[308,0,0,0,0],[175,0,0,0,0],[313,0,0,0,0],\
                 [321,0,0,0,0],[250,0,0,0,0],[323,0,0,0,0],[425,1,0,0,0],[56,0x10000011,0,0,0]";
    let out = run_captured(
        perl(&format!(
            r#"open(my $s, "<", "/proc/self/status"); my ($mode) = grep {{ /^Seccomp:/ }} <$s>;
               print "mode=", (split /\s+/, $mode)[1], " ";
               for my $c ({calls}) {{ my $r = syscall($c->[0], $c->[1], $c->[2], $c->[3], $c->[4]); print $r == -1 ? ($!+0)." " : "ok:$r "; }}"#
        )),
        |_| {},
    );
    if std::env::consts::ARCH != "x86_64" {
        eprintln!("skipped: syscall numbers in this probe are x86_64 ones");
        return;
    }
    let fields: Vec<&str> = out.stdout.split_whitespace().collect();
    assert_eq!(fields[0], "mode=2", "seccomp filter not active: {out:?}");
    assert!(fields[1..].iter().all(|f| *f == EPERM), "{out:?}");
    assert_eq!(fields.len(), 11, "{out:?}");
}

#[test]
fn limits_cannot_be_raised() {
    let out = run_captured(
        perl(
            r#"my $new = pack("QQ", 1048576, 1048576);
               print syscall(302, 0, 7, $new, 0) == -1 ? $!+0 : "raised""#,
        ),
        |_| {},
    );
    assert_eq!(out.stdout.trim(), EPERM, "{out:?}");
}

#[test]
fn fork_bomb_hits_the_pids_limit() {
    let out = run_captured(
        perl(
            r#"my $n = 0; while (1) { my $p = fork(); if (!defined $p) { print "$n ", $!+0; last }
               if ($p == 0) { sleep 2; exit 0 } $n++; last if $n > 1000 }"#,
        ),
        |c| c.limits.pids = 16,
    );
    let pids = out.control("pids_limit");
    if !pids.starts_with("Applied") {
        eprintln!("skipped: no pids cgroup on this host ({pids}); the record says so");
        return;
    }
    let fields: Vec<&str> = out.stdout.split_whitespace().collect();
    let forks: u32 = fields[0].parse().unwrap();
    assert!(forks < 16, "{out:?}");
    assert_eq!(fields[1], EAGAIN, "{out:?}");
}

#[test]
fn host_secrets_outside_the_allow_list_are_absent() {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let base = home
        .filter(|h| h.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::tempdir_in(base).unwrap();
    let secret = dir.path().join("credentials");
    std::fs::write(&secret, "AKIA-not-a-real-key").unwrap();
    let out = run_captured(
        perl(&format!(
            r#"for my $f ("{}", "/etc/shadow", "/root/.bash_history") {{
                   print open(my $h, "<", $f) ? "read " : ($!+0)." "; }}"#,
            secret.display()
        )),
        |_| {},
    );
    let fields: Vec<&str> = out.stdout.split_whitespace().collect();
    assert_eq!(fields, vec![ENOENT, ENOENT, ENOENT], "{out:?}");
}

#[test]
fn timeout_kills_the_whole_tree() {
    let marker = format!("1000.{}", std::process::id());
    let out = run_captured(
        vec![
            "sh".into(),
            "-c".into(),
            format!("sleep {marker} & sleep {marker} & wait"),
        ],
        |c| c.limits.timeout_seconds = 1,
    );
    assert_eq!(out.outcome.exit.code, 137, "{out:?}");
    assert!(out.outcome.exit.timed_out);
    assert_eq!(
        out.outcome.exit.killed_by_runner.as_deref(),
        Some("timeout")
    );
    let mut leftovers = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let mut cmdline = String::new();
        if let Ok(mut f) = std::fs::File::open(entry.path().join("cmdline")) {
            let _ = f.read_to_string(&mut cmdline);
        }
        if cmdline.contains(&marker) {
            leftovers.push(cmdline);
        }
    }
    assert!(leftovers.is_empty(), "processes survived: {leftovers:?}");
}
