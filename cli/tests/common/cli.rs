//! The command line in a temporary folder: test keys and trust files made by `keygen`, tokens
//! made by `issue token`, and a runner that feeds standard input from its own thread (so a
//! large input cannot dead-lock against a full output pipe).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

/// The issuer every test key is bound to.
pub const ISS: &str = "https://id.vneid.test";

/// The CLI under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vneid-verify"))
}

/// Starts the CLI with `args`, its three standard streams piped.
pub fn spawn(args: &[&str]) -> Child {
    bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// Runs the CLI with `args` and `stdin`, and waits for it.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = spawn(args);
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    out
}

/// A temporary folder, removed when dropped.
pub struct TestDir {
    path: PathBuf,
}

impl TestDir {
    /// A fresh folder `vneid-NAME-PID` under the temporary directory.
    pub fn new(name: &str) -> TestDir {
        let path = std::env::temp_dir().join(format!("vneid-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("tmp");
        TestDir { path }
    }

    /// The path of `name` in the folder.
    pub fn file(&self, name: &str) -> String {
        self.path.join(name).to_string_lossy().into_owned()
    }

    /// A test key `NAME.key` with `kid`, bound to [`ISS`], and its trust file `NAME.trust`.
    pub fn keygen(&self, name: &str, kid: &str) {
        let key = self.file(&format!("{name}.key"));
        let trust = self.file(&format!("{name}.trust"));
        let args = [
            "keygen",
            "--kid",
            kid,
            "--out",
            &key,
            "--issuer",
            ISS,
            "--trust-out",
            &trust,
        ];
        succeed(&run(&args, b""));
    }

    /// A token signed with `KEY.key`; `extra` are more `issue token` options (`--ttl`, `--at`).
    pub fn token(&self, key: &str, claims: &str, extra: &[&str]) -> String {
        let key = self.file(&format!("{key}.key"));
        let mut args = vec!["issue", "token", "--key", &key, "--claims", claims];
        args.extend_from_slice(extra);
        let out = run(&args, b"");
        succeed(&out);
        String::from_utf8(out.stdout)
            .expect("utf8")
            .trim()
            .to_owned()
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn succeed(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
