//! Reading the scanner: standard input, or `--input PATH` (a serial port, a FIFO, a file).
//!
//! Natively, a reader thread does the blocking reads and hands the bytes over a small bounded
//! channel, so the scanner loop can wait *with a timeout* (to report an unfinished multi-QR card
//! on time, and to notice a replaced trust file while idle), and a signal thread turns SIGTERM
//! and SIGINT into a clean stop. `--input PATH`:
//!
//! * a FIFO is reopened when its writer closes it, so the scanner keeps running while the
//!   program feeding it restarts; the writer closing ends the line it was writing, so
//!   `printf %s "$QR" > fifo` delivers one payload;
//! * a character device (a serial port, a USB CDC-ACM scanner) is reopened too when it goes away
//!   (unplugged), retried every second; configure its speed and raw mode beforehand, e.g.
//!   `stty -F /dev/ttyACM0 9600 raw -echo`;
//! * a regular file is read to its end, like standard input.
//!
//! Under WASI there are no threads and no signals: reads block, so a card's chunk timeout is
//! noticed at the next line or at end of input, and input ends at EOF (WASI cannot tell a FIFO
//! from a file).

use std::time::Duration;

/// What the input did.
#[derive(Debug)]
// The loop is the same on every platform; WASI's blocking reads never wait, reopen or stop.
#[cfg_attr(target_os = "wasi", allow(dead_code))]
pub enum Event {
    /// Some bytes.
    Data(Vec<u8>),
    /// The writer of a reopened input went away: an unterminated line is complete.
    Boundary,
    /// Nothing arrived within the wait.
    Idle,
    /// End of input.
    End,
    /// SIGTERM or SIGINT.
    Stop,
    /// The input cannot be read any more.
    Failed(String),
}

/// A source of scanner input.
pub trait Source {
    /// The next event, waiting at most `wait` when this platform can (`None`: as long as needed).
    fn next(&mut self, wait: Option<Duration>) -> Event;
}

const READ_SIZE: usize = 8192;

#[cfg(not(target_os = "wasi"))]
pub use native::open;
#[cfg(target_os = "wasi")]
pub use wasi::open;

#[cfg(not(target_os = "wasi"))]
mod native {
    use std::io::Read;
    use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
    use std::time::Duration;

    use super::{Event, Source, READ_SIZE};

    /// Events from the reader and signal threads.
    pub struct Threaded {
        events: Receiver<Event>,
    }

    impl Source for Threaded {
        fn next(&mut self, wait: Option<Duration>) -> Event {
            match wait {
                Some(wait) => match self.events.recv_timeout(wait) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => Event::Idle,
                    Err(RecvTimeoutError::Disconnected) => Event::End,
                },
                None => self.events.recv().unwrap_or(Event::End),
            }
        }
    }

    /// Starts reading standard input (`path` `None`) or `path`.
    pub fn open(path: Option<&str>) -> Result<Box<dyn Source>, String> {
        // A few reads in flight at most: a slow consumer holds the reader back (memory stays
        // bounded) rather than letting input pile up.
        let (events, receiver) = sync_channel(4);
        match path {
            None => {
                let events = events.clone();
                spawn("stdin", move || {
                    let end = pump(std::io::stdin().lock(), &events);
                    let _ = events.send(end);
                })?;
            }
            Some(path) => {
                let reopen = reopenable(path)?;
                let path = path.to_owned();
                let events = events.clone();
                spawn("input", move || read_path(&path, reopen, &events))?;
            }
        }
        #[cfg(unix)]
        stop_on_signals(events)?;
        #[cfg(not(unix))]
        drop(events);
        Ok(Box::new(Threaded { events: receiver }))
    }

    fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<(), String> {
        std::thread::Builder::new()
            .name(format!("scan-{name}"))
            .spawn(f)
            .map(|_| ())
            .map_err(|e| format!("starting the {name} reader: {e}"))
    }

    /// Reads until end of input; returns the event that ended it (`End` or `Failed`), or `Stop`
    /// when the scanner loop is gone.
    fn pump(mut reader: impl Read, events: &SyncSender<Event>) -> Event {
        let mut buf = vec![0; READ_SIZE];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Event::End,
                Ok(n) => {
                    let data = buf.get(..n).unwrap_or_default().to_vec();
                    if events.send(Event::Data(data)).is_err() {
                        return Event::Stop;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Event::Failed(format!("reading input: {e}")),
            }
        }
    }

    /// True for a FIFO or a character device: inputs that come back after their writer or
    /// device goes away. The path must exist when the scanner starts.
    fn reopenable(path: &str) -> Result<bool, String> {
        let meta = std::fs::metadata(path).map_err(|e| format!("--input {path}: {e}"))?;
        if meta.is_dir() {
            return Err(format!("--input {path}: is a folder"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let t = meta.file_type();
            Ok(t.is_fifo() || t.is_char_device())
        }
        #[cfg(not(unix))]
        Ok(false)
    }

    fn read_path(path: &str, reopen: bool, events: &SyncSender<Event>) {
        let mut complained = false;
        loop {
            // Opening a FIFO waits here for a writer.
            let file = match std::fs::File::open(path) {
                Ok(file) => file,
                Err(e) if reopen => {
                    if !complained {
                        warn!("--input {path}: {e}; retrying every second");
                        complained = true;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
                Err(e) => {
                    let _ = events.send(Event::Failed(format!("--input {path}: {e}")));
                    return;
                }
            };
            if complained {
                warn!("--input {path}: open again");
                complained = false;
            }
            let end = pump(file, events);
            match end {
                Event::Stop => return,
                end if !reopen => {
                    let _ = events.send(end);
                    return;
                }
                Event::Failed(e) => {
                    warn!("{e}; reopening {path}");
                    complained = true;
                    if events.send(Event::Boundary).is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
                _ => {
                    if events.send(Event::Boundary).is_err() {
                        return;
                    }
                }
            }
        }
    }

    /// SIGTERM and SIGINT become [`Event::Stop`]: the scanner reports an unfinished card,
    /// waits for running hooks, flushes and exits 0 (bytes of an unterminated line are dropped:
    /// a scan cut off mid-line is not a payload). A second signal while it finishes (a hook that
    /// hangs, an output nobody reads) ends the process at once, the default way.
    #[cfg(unix)]
    fn stop_on_signals(events: SyncSender<Event>) -> Result<(), String> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT])
            .map_err(|e| format!("installing signal handlers: {e}"))?;
        spawn("signals", move || {
            let mut received = signals.forever();
            if received.next().is_some() {
                // Said once: the operator (and a test) can see the scanner is finishing.
                warn!("stopping: the unfinished card is reported and running hooks are waited for; a second signal ends at once");
                let _ = events.send(Event::Stop);
            }
            if let Some(signal) = received.next() {
                let _ = signal_hook::low_level::emulate_default_handler(signal);
            }
        })
    }
}

#[cfg(target_os = "wasi")]
mod wasi {
    use std::io::Read;
    use std::time::Duration;

    use super::{Event, Source, READ_SIZE};

    /// Blocking reads: WASI preview 1 has no threads to wait beside them.
    pub struct Blocking {
        reader: Box<dyn Read>,
        buf: Vec<u8>,
    }

    impl Source for Blocking {
        fn next(&mut self, _wait: Option<Duration>) -> Event {
            loop {
                return match self.reader.read(&mut self.buf) {
                    Ok(0) => Event::End,
                    Ok(n) => Event::Data(self.buf.get(..n).unwrap_or_default().to_vec()),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => Event::Failed(format!("reading input: {e}")),
                };
            }
        }
    }

    /// Reads standard input (`path` `None`) or `path` (inside a pre-opened folder).
    pub fn open(path: Option<&str>) -> Result<Box<dyn Source>, String> {
        let reader: Box<dyn Read> = match path {
            None => Box::new(std::io::stdin()),
            Some(path) => {
                Box::new(std::fs::File::open(path).map_err(|e| format!("--input {path}: {e}"))?)
            }
        };
        Ok(Box::new(Blocking {
            reader,
            buf: vec![0; READ_SIZE],
        }))
    }
}
