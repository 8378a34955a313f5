"""Pickle-stream samples: call paths, name resolution tricks, memo/frame/tail desyncs, limits."""
import builtins
import collections
import pickle
import struct

from common import (EVIL_P2, Call, binunicode, call_p0, call_p2, emit, glob, s4, state_dict,
                    torch_data_pkl)


def write():
    # A. callable resolution
    emit("m01_reduce_os_system_p2.pkl", EVIL_P2, "unsafe", "reduce-os-system", "posix.system")
    emit("m02_builtins_exec_p4.pkl", pickle.dumps(Call(builtins.exec, ("print(1)",)), protocol=4),
         "unsafe", "stack-global-exec", "builtins.exec")
    emit("m03_proto0_global.pkl", call_p0("posix", "system"), "unsafe", "protocol-0-global", "posix.system")
    emit("m08_pkgutil_resolve_name.pkl", call_p2("pkgutil", "resolve_name", "os:system"), "unsafe",
         "deny-list-gap", "pkgutil.resolve_name")
    emit("m09_pip_main.pkl", call_p2("pip", "main", "install"), "unsafe", "deny-list-gap", "pip.main")
    emit("m10_timeit.pkl", call_p2("timeit", "timeit", "import os"), "unsafe", "deny-list-gap", "timeit.timeit")
    emit("m11_uuid_get_command_stdout.pkl", call_p2("uuid", "_get_command_stdout", "sh"), "unsafe",
         "deny-list-gap", "uuid._get_command_stdout")
    emit("m39_marshal_loads.pkl", call_p2("marshal", "loads", "x"), "unsafe", "nested-deserializer", "marshal.loads")
    emit("m40_yaml_unsafe_load.pkl", call_p2("yaml", "unsafe_load", "!!python/object/apply:os.system [x]"),
         "unsafe", "nested-deserializer", "yaml.unsafe_load")
    emit("m40b_torch_load_from_bytes.pkl", call_p2("torch.storage", "_load_from_bytes", "x"), "unsafe",
         "nested-deserializer", "torch.storage._load_from_bytes")
    emit("m41_spawnv_passfds.pkl", call_p2("multiprocessing.util", "spawnv_passfds", "sh"), "unsafe",
         "alternative-primitive", "multiprocessing.util.spawnv_passfds")
    emit("m42_scanner_deactivation.pkl", call_p2("picklescan.scanner", "scan_pickle_bytes", "x"), "unsafe",
         "scanner-deactivation", "picklescan.scanner")
    emit("m43_submodule_of_denied.pkl", call_p2("asyncio.unix_events", "_UnixSelectorEventLoop", "x"), "unsafe",
         "submodule-of-denied-package", "asyncio.unix_events")
    # A.2 Python 2 aliases (fix_imports)
    emit("m16_builtin_alias_eval_p0.pkl", call_p0("__builtin__", "eval", "1+1"), "unsafe", "python2-alias",
         "builtins.eval")
    emit("m17_commands_alias_p0.pkl", call_p0("commands", "getoutput", "id"), "unsafe", "python2-alias",
         "subprocess.getoutput")
    # A.3 dotted attribute paths
    emit("m12_dotted_pathlib_os_system.pkl",
         b"\x80\x04" + s4("pathlib") + s4("os.system") + b"\x93" + s4("id") + b"\x85R.", "unsafe",
         "dotted-name", "pathlib.os.system")
    emit("m38_builtins_print_self_exec.pkl",
         b"\x80\x04" + s4("builtins") + s4("print.__self__.exec") + b"\x93" + s4("1") + b"\x85R.", "unsafe",
         "dotted-dunder-name", "dunder")
    emit("m07_import_vars_chain.pkl",
         b"\x80\x02" + glob("builtins", "getattr") + glob("builtins", "__import__") + binunicode("os")
         + b"\x85R" + binunicode("system") + b"\x86R" + binunicode("id") + b"\x85R.", "unsafe",
         "harmless-looking-builtins", "builtins.__import__")
    # B. opcode paths
    emit("m04_inst_opcode.pkl", b"(S'echo PWNED'\nios\nsystem\n.", "unsafe", "inst-call", "os.system")
    emit("m13_obj_pop_smtplib.pkl", b"(csmtplib\nSMTP\nS'h'\no0N.", "unsafe", "obj-call-popped", "smtplib.SMTP")
    emit("m13b_newobj_ex.pkl", b"\x80\x04" + glob("subprocess", "Popen") + s4("id") + b"\x85}\x92.", "unsafe",
         "newobj-ex", "subprocess.Popen")
    emit("m36_ext2_copyreg.pkl", b"\x80\x02\x83\x01\x00" + binunicode("id") + b"\x85R.", "unsafe",
         "extension-registry", "EXT code 1")
    emit("m44_build_on_global.pkl", b"\x80\x02" + glob("collections", "OrderedDict") + b"}" + s4("x") + b"Nsb.",
         "unsafe", "build-setattr-on-global", "BUILD sets attributes")
    # B.7 memo indirection with decoys
    memo = (b"\x80\x04" + s4("collections") + b"\x94" + s4("OrderedDict") + b"\x94" + s4("os") + b"\x94"
            + s4("system") + b"\x94" + b"0000" + b"h\x02h\x03\x93" + s4("id") + b"\x85R.")
    emit("m05_stack_global_memo.pkl", memo, "unsafe", "memo-indirection", "os.system")
    emit("m06_stack_global_string_ops.pkl", b"\x80\x04S'os'\nS'system'\n\x93" + s4("id") + b"\x85R.", "unsafe",
         "stack-global-string-operands", "os.system")
    emit("m37_inst_str_memo.pkl", b"\x80\x04(S'os'\nibuiltins\nstr\n\x94" + b"0h\x00" + s4("system") + b"\x93.",
         "unsafe", "inst-str-memo-type-confusion", "builtins.str")
    # B.9 payload then garbage
    payload = b"\x80\x02" + glob("posix", "system") + binunicode("id") + b"\x85R"
    emit("m32_tail_truncated.pkl", payload + b"X\xff\x00\x00\x00abc", "unsafe", "payload-then-truncation", "posix.system")
    emit("m33_tail_memo_miss.pkl", payload + b"h\x63.", "unsafe", "payload-then-memo-miss", "memo key 99")
    emit("m34_tail_bytes_operand.pkl", payload + b"C\x02osC\x06system\x93.", "unsafe",
         "payload-then-type-confusion", "STACK_GLOBAL operands")
    emit("m35_tail_bytearray8.pkl", payload + b"\x96" + struct.pack("<Q", 1 << 40), "unsafe",
         "payload-then-bytearray8", "posix.system")
    # B.10 FRAME desync: the frame ends inside a BINBYTES that hides a second opcode stream.
    hidden = glob("posix", "system") + binunicode("id") + b"\x85R."
    body = b"B" + struct.pack("<I", len(hidden)) + hidden + b"."
    emit("m14_frame_boundary.pkl", b"\x80\x04\x95" + struct.pack("<Q", 5) + body, "unsafe", "frame-desync",
         "FRAME")
    emit("m14b_frame_in_frame.pkl", b"\x80\x04\x95" + struct.pack("<Q", 20) + b"N\x95" + struct.pack("<Q", 1)
         + b"0" + b"N" * 20 + b".", "unsafe", "frame-inside-frame", "FRAME")
    # B.11 multiple pickles
    emit("m15_multi_pickle.pkl", pickle.dumps({"a": 1}, protocol=2) + EVIL_P2, "unsafe", "second-pickle",
         "posix.system")
    magic_eval = call_p2("builtins", "eval", "1")
    emit("m15b_legacy_magic_is_eval.pt", magic_eval + pickle.dumps(1001, protocol=2), "unsafe",
         "legacy-magic-payload", "builtins.eval")
    emit("m25_bin_ext_proto0.bin", call_p0("posix", "system"), "unsafe", "extension-mismatch", "posix.system")
    # B.14 resource limits and malformed streams: never safe, never a crash
    emit("l01_declared_1e9_length.pkl", b"\x80\x04X" + struct.pack("<I", 1_000_000_000) + b"abc", "unknown",
         "huge-declared-length", "truncated")
    emit("l02_binbytes8_2e63.pkl", b"\x80\x04\x8e" + struct.pack("<Q", 1 << 63) + b".", "unknown",
         "huge-declared-length", "truncated")
    emit("l03_deep_marks.pkl", b"\x80\x02" + b"(" * 200_000 + b".", "unknown", "mark-nesting", "MARK")
    emit("l04_truncated.pkl", pickle.dumps({"k": list(range(50))}, protocol=4)[:-7], "unknown", "truncated-pickle")
    emit("l05_trailing_garbage.pkl", pickle.dumps([1, 2], protocol=2) + b"\xffgarbage", "unknown", "trailing-data")
    emit("l06_bad_opcode.pkl", b"\x80\x02K\x01\xff.", "unknown", "invalid-opcode", "opcode 0xff")
    emit("l07_dup_storm.pkl", b"\x80\x02]" + b"2" * 1_100_000 + b".", "unknown", "stack-exhaustion", "stack")
    # Benign
    emit("b01_plain_dict_p4.pkl", pickle.dumps({"a": [1, 2.5, "x"], "b": (None, True), "c": {1, 2}}, protocol=4),
         "safe", "benign-plain")
    emit("b01b_plain_p0.pkl", pickle.dumps({"a": [1, 2], "b": "text"}, protocol=0), "safe", "benign-protocol-0")
    emit("b01c_ordered_dict_p5.pkl", pickle.dumps(collections.OrderedDict(a=1, b=bytes(300_000)), protocol=5),
         "safe", "benign-framed-large-bytes")
    emit("b11_state_dict_p2.pkl", torch_data_pkl(state_dict()), "safe", "benign-torch-pickle")
