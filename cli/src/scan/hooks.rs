//! `--on-valid CMD` / `--on-invalid CMD`: run a program after a verdict, to drive a light or a
//! gate.
//!
//! Safety first: CMD is split on whitespace into a program and its arguments and run directly,
//! never through a shell, and nothing from the payload is ever put on its command line. The
//! program gets the verdict as one line of JSON on its standard input, and in its environment
//! `VNEID_VALID` (`true`/`false`), `VNEID_FORMAT` and `VNEID_CODE` (empty when valid). For shell
//! syntax, write a script and name it as CMD. The program's standard output goes to the scanner's
//! standard error, so it can never corrupt the verdict stream.
//!
//! Hooks run one at a time, in verdict order, on their own thread, so a slow gate never delays
//! the next verdict; each may take [`HOOK_TIMEOUT`] before it is killed, and at most
//! [`QUEUE`] wait (beyond that a hook is skipped, with a line on standard error). At exit the
//! scanner waits for the queued hooks. Repeats suppressed by the repeat window run no hook.
//!
//! Not available under WASI, which cannot start processes: the options are refused there.

use vneid_verify::Verdict;

/// How long one hook may run.
#[cfg(not(target_os = "wasi"))]
pub const HOOK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How many hooks may wait to run.
#[cfg(not(target_os = "wasi"))]
pub const QUEUE: usize = 16;

/// Parses CMD into a program and its arguments.
fn command(option: &str, cmd: Option<String>) -> Result<Option<Vec<String>>, String> {
    let Some(cmd) = cmd else { return Ok(None) };
    let argv: Vec<String> = cmd.split_ascii_whitespace().map(str::to_owned).collect();
    if argv.is_empty() {
        return Err(format!("{option} needs a program to run"));
    }
    if cfg!(target_os = "wasi") {
        return Err(format!(
            "{option} is not available under WASI, which cannot start programs; read the verdict lines instead"
        ));
    }
    Ok(Some(argv))
}

/// The configured hooks and their runner (nothing under WASI, where none can be configured).
pub struct Hooks {
    #[cfg(not(target_os = "wasi"))]
    on_valid: Option<Vec<String>>,
    #[cfg(not(target_os = "wasi"))]
    on_invalid: Option<Vec<String>>,
    #[cfg(not(target_os = "wasi"))]
    runner: Option<runner::Runner>,
}

impl Hooks {
    /// From `--on-valid` and `--on-invalid`.
    pub fn new(on_valid: Option<String>, on_invalid: Option<String>) -> Result<Hooks, String> {
        let on_valid = command("--on-valid", on_valid)?;
        let on_invalid = command("--on-invalid", on_invalid)?;
        #[cfg(not(target_os = "wasi"))]
        let runner = if on_valid.is_some() || on_invalid.is_some() {
            Some(runner::Runner::start()?)
        } else {
            None
        };
        #[cfg(target_os = "wasi")]
        let _ = (on_valid, on_invalid);
        Ok(Hooks {
            #[cfg(not(target_os = "wasi"))]
            on_valid,
            #[cfg(not(target_os = "wasi"))]
            on_invalid,
            #[cfg(not(target_os = "wasi"))]
            runner,
        })
    }

    /// Queues the hook for this verdict, if one is configured; `json` is the verdict already
    /// serialised, when it was.
    pub fn after(&self, verdict: &Verdict, json: Option<&str>) {
        #[cfg(not(target_os = "wasi"))]
        {
            let argv = if verdict.valid {
                &self.on_valid
            } else {
                &self.on_invalid
            };
            if let (Some(argv), Some(runner)) = (argv, &self.runner) {
                runner.submit(runner::Job {
                    argv: argv.clone(),
                    json: json.map_or_else(|| verdict.to_json(), str::to_owned),
                    valid: verdict.valid,
                    format: verdict.format.as_str(),
                    code: verdict.code.map_or("", |c| c.as_str()),
                });
            }
        }
        #[cfg(target_os = "wasi")]
        let _ = (verdict, json);
    }

    /// Waits for the queued hooks.
    pub fn finish(self) {
        #[cfg(not(target_os = "wasi"))]
        if let Some(runner) = self.runner {
            runner.finish();
        }
    }
}

#[cfg(not(target_os = "wasi"))]
mod runner {
    use std::io::Write;
    use std::process::{Command, Stdio};
    use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    use super::{HOOK_TIMEOUT, QUEUE};

    /// One hook to run.
    pub struct Job {
        pub argv: Vec<String>,
        pub json: String,
        pub valid: bool,
        pub format: &'static str,
        pub code: &'static str,
    }

    /// The hook thread.
    pub struct Runner {
        jobs: SyncSender<Job>,
        worker: JoinHandle<()>,
    }

    impl Runner {
        pub fn start() -> Result<Runner, String> {
            let (jobs, queue) = sync_channel::<Job>(QUEUE);
            let worker = std::thread::Builder::new()
                .name("scan-hooks".into())
                .spawn(move || {
                    for job in queue {
                        run(&job);
                    }
                })
                .map_err(|e| format!("starting the hook runner: {e}"))?;
            Ok(Runner { jobs, worker })
        }

        pub fn submit(&self, job: Job) {
            match self.jobs.try_send(job) {
                Ok(()) => {}
                Err(TrySendError::Full(job)) => warn!(
                    "hook {} skipped: {QUEUE} hooks are already waiting",
                    job.argv.join(" ")
                ),
                Err(TrySendError::Disconnected(_)) => {}
            }
        }

        pub fn finish(self) {
            drop(self.jobs);
            let _ = self.worker.join();
        }
    }

    fn run(job: &Job) {
        let name = job.argv.join(" ");
        let Some((program, args)) = job.argv.split_first() else {
            return;
        };
        let spawned = Command::new(program)
            .args(args)
            .env("VNEID_VALID", if job.valid { "true" } else { "false" })
            .env("VNEID_FORMAT", job.format)
            .env("VNEID_CODE", job.code)
            .stdin(Stdio::piped())
            .stdout(Stdio::from(std::io::stderr()))
            .stderr(Stdio::inherit())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                warn!("hook {name}: {e}");
                return;
            }
        };
        // Written from its own thread: a hook that never reads its input must not block us
        // past its timeout.
        if let Some(mut stdin) = child.stdin.take() {
            let line = format!("{}\n", job.json);
            let _ = std::thread::Builder::new()
                .name("scan-hook-stdin".into())
                .spawn(move || {
                    let _ = stdin.write_all(line.as_bytes());
                });
        }
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => return,
                Ok(Some(status)) => {
                    warn!("hook {name} failed: {status}");
                    return;
                }
                Ok(None) if started.elapsed() >= HOOK_TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    warn!("hook {name} killed after {} s", HOOK_TIMEOUT.as_secs());
                    return;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => {
                    warn!("hook {name}: {e}");
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmd_is_split_on_whitespace_and_never_given_to_a_shell() {
        assert_eq!(
            command("--on-valid", Some(" /usr/bin/gate  open --fast ".into())),
            Ok(Some(vec![
                "/usr/bin/gate".to_owned(),
                "open".to_owned(),
                "--fast".to_owned()
            ]))
        );
        assert_eq!(command("--on-valid", None), Ok(None));
        assert!(command("--on-valid", Some("  ".into())).is_err());
    }
}
