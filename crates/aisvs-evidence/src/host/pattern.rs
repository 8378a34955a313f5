//! OpenSSH-style pattern lists (`*`, `?`, `!negation`, comma-separated), as used by
//! `Match User`, `AllowUsers`, `DenyGroups`…

/// Glob match with `*` and `?` (iterative, linear in practice; no recursion on hostile input).
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// A comma-separated list matches when some positive pattern matches and no negated one does.
pub fn list_matches(list: &str, text: &str) -> bool {
    let mut positive = false;
    for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        if let Some(negated) = item.strip_prefix('!') {
            if glob(negated, text) {
                return false;
            }
        } else if glob(item, text) {
            positive = true;
        }
    }
    positive
}

/// `AllowUsers`/`DenyUsers` entries may be `USER@HOST`; only the user part is compared.
pub fn user_entry_matches(entry: &str, user: &str) -> bool {
    let user_part = entry.split('@').next().unwrap_or(entry);
    glob(user_part, user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_lists() {
        assert!(glob("svc-*", "svc-backup"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "abbc"));
        assert!(list_matches("*,!root", "alice"));
        assert!(!list_matches("*,!root", "root"));
        assert!(user_entry_matches("deploy@10.0.0.*", "deploy"));
    }
}
