#!/usr/bin/env python3
"""Runs the scanner's WASI build under wasmtime (the standalone runtime, through its Python
embedding) the way README "Scanners" documents it: the trust file's folder pre-opened as /trust,
linear memory capped at 8 MiB, payloads on standard input. Prints the verdict lines and the
exit code; exits non-zero when the output differs from the native CLI's.

    python3 -m venv /tmp/wt && /tmp/wt/bin/pip install wasmtime
    /tmp/wt/bin/python scripts/wasmtime-check.py TRUST_DIR TRUST_FILE_NAME INPUT_FILE AT

A manual check (not part of `npm test`, which compares under Node's WASI): it backs the README's
wasmtime command line with a run.
"""

import os
import subprocess
import sys
import tempfile

from wasmtime import Engine, ExitTrap, Linker, Module, Store, WasiConfig

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
WASM = os.path.join(ROOT, "dist-wasi", "vneid-verify.wasm")
NATIVE = next((p for p in (os.path.join(ROOT, "target", profile, "vneid-verify")
                           for profile in ("release", "debug")) if os.path.exists(p)), None)
MAX_MEMORY = 8 * 1024 * 1024


def run_wasi(trust_dir, trust_name, input_file, at):
    engine = Engine()
    linker = Linker(engine)
    linker.define_wasi()
    module = Module.from_file(engine, WASM)
    with tempfile.NamedTemporaryFile(mode="rb", suffix=".out") as out:
        wasi = WasiConfig()
        wasi.argv = ["vneid-verify", "scan", "--trust", f"/trust/{trust_name}", "--at", at,
                     "--repeat-window", "0"]
        wasi.preopen_dir(trust_dir, "/trust")
        wasi.stdin_file = input_file
        wasi.stdout_file = out.name
        wasi.inherit_stderr()
        store = Store(engine)
        store.set_wasi(wasi)
        store.set_limits(memory_size=MAX_MEMORY)
        instance = linker.instantiate(store, module)
        code = 0
        try:
            instance.exports(store)["_start"](store)
        except ExitTrap as exit_trap:
            code = exit_trap.code
        memory = instance.exports(store)["memory"]
        return code, out.read(), memory.data_len(store)


def main():
    trust_dir, trust_name, input_file, at = sys.argv[1:5]
    if NATIVE is None or not os.path.exists(WASM):
        sys.exit("build first: cargo build --release && npm run build:wasi")
    code, wasi_out, memory = run_wasi(trust_dir, trust_name, input_file, at)
    with open(input_file, "rb") as stdin:
        native = subprocess.run(
            [NATIVE, "scan", "--trust", os.path.join(trust_dir, trust_name), "--at", at,
             "--repeat-window", "0"],
            stdin=stdin, capture_output=True, check=False)
    sys.stdout.write(wasi_out.decode("utf-8", "replace"))
    print(f"wasmtime: exit {code}, linear memory at exit {memory} bytes "
          f"({memory / 65536:.0f} pages, cap {MAX_MEMORY} bytes)")
    if (code, wasi_out) != (native.returncode, native.stdout):
        print("DIFFERENT from the native CLI", file=sys.stderr)
        sys.exit(1)
    print("same bytes and exit code as the native CLI")


if __name__ == "__main__":
    main()
