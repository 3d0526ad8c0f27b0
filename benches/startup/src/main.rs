//! `make bench`, start-up: how long Rehome takes to show its first screen, against a bare Tauri
//! window (benches/bare-window) built with the same profile, on the same X display.
//!
//! Usage: `startup-bench [--runs N] [--also NAME=PATH]… REHOME BARE` (release binaries), under
//! Xvfb and, for Rehome's keyring, inside a D-Bus session with an unlocked throwaway keyring (the
//! Makefile). `--also` adds another build to compare, e.g. Rehome before a change.
//!
//! Each run starts one app with fresh, empty data, config and cache directories and takes two
//! times from the moment it was spawned:
//! - **mapped**: the X server maps a top-level window whose `_NET_WM_PID` is the app's;
//! - **painted**: the app prints "first screen shown after N ms". Both pages send that two
//!   animation frames after their real content is in the page (Rehome: its start screen, with the
//!   Sign in buttons, see ui/src/boot.ts and main.tsx), so it comes after that content was first
//!   painted;
//! - **ready**: the app prints "first screen ready for input after N ms": Rehome once its code has
//!   taken the screen over (hydrated the prerendered start screen, or drawn it), the bare window
//!   with the first line. A build given with `--also` that prints no such line within 2 s of the
//!   first (Rehome before the prerendered start screen) was ready when painted.
//!
//! One warm-up round is not counted; then the runs alternate (Rehome, bare, Rehome, bare, …) so
//! that anything else on the machine weighs on all alike. Printed: the medians as a table.

use std::{
    io::{BufRead, BufReader, Read},
    path::{Path, PathBuf},
    process::{Child, Command, ExitCode, Stdio},
    sync::mpsc::{self, Receiver, Sender},
    thread,
    time::{Duration, Instant},
};

use x11rb::{
    connection::Connection,
    protocol::{
        xproto::{AtomEnum, ChangeWindowAttributesAux, ConnectionExt as _, EventMask},
        Event,
    },
};

const PAINTED: &str = "first screen shown after ";
const READY: &str = "first screen ready for input after ";
/// How long to wait for the ready line of a build that may not print one.
const READY_GRACE: Duration = Duration::from_secs(2);
const TIMEOUT: Duration = Duration::from_secs(30);

/// What the X display and the apps' output tell, each with when it was seen.
enum Signal {
    Mapped { at: Instant, pid: u32 },
    Painted { at: Instant, pid: u32, reported_ms: f64 },
    Ready { at: Instant, pid: u32 },
    Exited { pid: u32 },
}

struct App {
    name: String,
    path: PathBuf,
    /// Only an older build (`--also`) may print no ready line.
    may_not_say_ready: bool,
}

#[derive(Clone, Copy)]
struct Sample {
    mapped: Duration,
    painted: Duration,
    ready: Duration,
    /// The app's own figure: from its `main` to the message.
    reported_ms: f64,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("startup-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let (runs, apps) = arguments()?;
    // The webviews' helper processes outlive a killed app for a moment; as their subreaper this
    // process can wait until every one is gone before the next run starts.
    rustix::process::set_child_subreaper(Some(rustix::process::getpid()))
        .map_err(|e| format!("cannot become a subreaper: {e}"))?;
    let (sender, signals) = mpsc::channel();
    watch_windows(sender.clone())?;
    for app in &apps {
        run_once(app, &sender, &signals)?;
    }
    let mut samples: Vec<Vec<Sample>> = apps.iter().map(|_| Vec::new()).collect();
    for round in 1..=runs {
        for (app, samples) in apps.iter().zip(&mut samples) {
            let sample = run_once(app, &sender, &signals)?;
            eprintln!(
                "run {round}/{runs} {}: mapped {:.0} ms, painted {:.0} ms, ready {:.0} ms",
                app.name,
                ms(sample.mapped),
                ms(sample.painted),
                ms(sample.ready)
            );
            samples.push(sample);
        }
    }
    print_table(runs, &apps, &samples);
    Ok(())
}

/// The runs, and the apps: Rehome, the bare window, then any `--also`.
fn arguments() -> Result<(usize, Vec<App>), String> {
    let usage = "usage: startup-bench [--runs N] [--also NAME=PATH]… REHOME BARE";
    let mut args = std::env::args().skip(1);
    let mut runs = 15;
    let (mut paths, mut also) = (Vec::new(), Vec::new());
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0).ok_or(usage)?;
        } else if arg == "--also" {
            let named = args.next().ok_or(usage)?;
            let (name, path) = named.split_once('=').ok_or(usage)?;
            also.push(App { name: name.into(), path: path.into(), may_not_say_ready: true });
        } else {
            paths.push(PathBuf::from(arg));
        }
    }
    let [rehome, bare] = <[PathBuf; 2]>::try_from(paths).map_err(|_| usage)?;
    let mut apps = vec![
        App { name: "Rehome".into(), path: rehome, may_not_say_ready: false },
        App { name: "bare Tauri window".into(), path: bare, may_not_say_ready: false },
    ];
    apps.extend(also);
    for app in &apps {
        if !app.path.is_file() {
            return Err(format!("{} is not built", app.path.display()));
        }
    }
    Ok((runs, apps))
}

/// Reports every top-level window the X server maps, with the process that owns it.
fn watch_windows(sender: Sender<Signal>) -> Result<(), String> {
    let x_error = |e: &dyn std::fmt::Display| format!("X display: {e} (run under xvfb-run)");
    let (connection, screen) = x11rb::connect(None).map_err(|e| x_error(&e))?;
    let root = connection.setup().roots[screen].root;
    let pid_atom = connection
        .intern_atom(false, b"_NET_WM_PID")
        .map_err(|e| x_error(&e))?
        .reply()
        .map_err(|e| x_error(&e))?
        .atom;
    let watch = ChangeWindowAttributesAux::new().event_mask(EventMask::SUBSTRUCTURE_NOTIFY);
    connection
        .change_window_attributes(root, &watch)
        .map_err(|e| x_error(&e))?
        .check()
        .map_err(|e| x_error(&e))?;
    thread::spawn(move || {
        while let Ok(event) = connection.wait_for_event() {
            if std::env::var_os("BENCH_DEBUG").is_some() {
                eprintln!("x event {event:?}");
            }
            let Event::MapNotify(map) = event else { continue };
            let at = Instant::now();
            let pid = connection
                .get_property(false, map.window, pid_atom, AtomEnum::CARDINAL, 0, 1)
                .ok()
                .and_then(|cookie| cookie.reply().ok())
                .and_then(|reply| reply.value32()?.next());
            if let Some(pid) = pid {
                let _ = sender.send(Signal::Mapped { at, pid });
            }
        }
    });
    Ok(())
}

/// One start of `app`, until its first screen is painted and ready; then it is killed.
fn run_once(
    app: &App,
    sender: &Sender<Signal>,
    signals: &Receiver<Signal>,
) -> Result<Sample, String> {
    while signals.try_recv().is_ok() {} // what the previous run left
    let home = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let stderr = std::fs::File::create(home.path().join("stderr"))
        .map_err(|e| format!("temporary file: {e}"))?;
    let mut command = Command::new(&app.path);
    command
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("LANG", "en_US.UTF-8")
        // Rehome sets this itself (src-tauri/src/lib.rs); the bare window gets the same.
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr);
    std::os::unix::process::CommandExt::process_group(&mut command, 0);

    let started = Instant::now();
    let child = command.spawn().map_err(|e| format!("cannot start {}: {e}", app.path.display()))?;
    let mut running = Running(child);
    let pid = running.0.id();
    if let Some(stdout) = running.0.stdout.take() {
        read_output(stdout, pid, sender.clone());
    }

    let (mut mapped, mut painted, mut ready) = (None, None, None);
    let deadline = started + TIMEOUT;
    loop {
        if let (Some(mapped), Some((painted, reported_ms)), Some(ready)) = (mapped, painted, ready)
        {
            return Ok(Sample { mapped, painted, ready, reported_ms }); // `running` is stopped here
        }
        let wait_until = match painted {
            Some((painted, _)) if app.may_not_say_ready && mapped.is_some() && ready.is_none() => {
                deadline.min(started + painted + READY_GRACE)
            }
            _ => deadline,
        };
        match signals.recv_timeout(wait_until.saturating_duration_since(Instant::now())) {
            Ok(Signal::Mapped { at, pid: from }) if from == pid => mapped = Some(at - started),
            Ok(Signal::Painted { at, pid: from, reported_ms }) if from == pid => {
                painted = Some((at - started, reported_ms));
            }
            Ok(Signal::Ready { at, pid: from }) if from == pid => ready = Some(at - started),
            Ok(Signal::Exited { pid: from }) if from == pid => {
                return Err(format!(
                    "{} ended before its first screen: {}",
                    app.name,
                    tail(home.path())
                ));
            }
            Ok(_) => {}
            Err(_) if app.may_not_say_ready && mapped.is_some() && Instant::now() < deadline => {
                ready = painted.map(|(painted, _)| painted); // prints no ready line
            }
            Err(_) => {
                let missing = match (mapped, painted) {
                    (None, _) => "window",
                    (_, None) => "first screen",
                    _ => "ready line",
                };
                let waited = TIMEOUT.as_secs();
                return Err(format!(
                    "{}: no {missing} within {waited} s: {}",
                    app.name,
                    tail(home.path())
                ));
            }
        }
    }
}

/// Sends the app's "first screen" lines as soon as they are written, and the end of its output.
fn read_output(stdout: impl Read + Send + 'static, pid: u32, sender: Sender<Signal>) {
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let at = Instant::now();
            if let Some((_, rest)) = line.split_once(PAINTED) {
                let reported_ms = rest.trim_end_matches(" ms").trim().parse().unwrap_or(f64::NAN);
                let _ = sender.send(Signal::Painted { at, pid, reported_ms });
            } else if line.contains(READY) {
                let _ = sender.send(Signal::Ready { at, pid });
            }
        }
        let _ = sender.send(Signal::Exited { pid });
    });
}

/// The last lines the app wrote to stderr, for an error message.
fn tail(home: &Path) -> String {
    let text = std::fs::read_to_string(home.join("stderr")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(5)..].join(" | ");
    if tail.is_empty() {
        "(nothing on stderr)".into()
    } else {
        tail
    }
}

/// A started app: killed with everything it started when dropped, and waited for, so the next
/// run starts on a quiet machine.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        use rustix::process::{kill_process_group, wait, Pid, Signal as Kill, WaitOptions};
        if let Some(group) = Pid::from_raw(self.0.id() as i32) {
            let _ = kill_process_group(group, Kill::KILL);
        }
        let _ = self.0.wait();
        // Its helper processes, now ours (subreaper), until none is left.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            match wait(WaitOptions::NOHANG) {
                Ok(Some(_)) => {}
                Ok(None) => thread::sleep(Duration::from_millis(5)),
                Err(_) => break, // no child left
            }
        }
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

fn print_table(runs: usize, apps: &[App], samples: &[Vec<Sample>]) {
    // Per app: (median, min, max) of mapped, painted, ready and the app's own painted figure.
    let figures: Vec<[(f64, f64, f64); 4]> = samples
        .iter()
        .map(|samples| {
            let column = |f: fn(&Sample) -> f64| {
                let values: Vec<f64> = samples.iter().map(f).collect();
                let low = values.iter().copied().fold(f64::MAX, f64::min);
                let high = values.iter().copied().fold(f64::MIN, f64::max);
                (median(values), low, high)
            };
            [
                column(|s| ms(s.mapped)),
                column(|s| ms(s.painted)),
                column(|s| ms(s.ready)),
                column(|s| s.reported_ms),
            ]
        })
        .collect();
    println!();
    println!(
        "Start-up: median (min–max) of {runs} runs each, alternating, after one warm-up round; \
         fresh data directories every run"
    );
    println!(
        "| | window mapped | first screen painted | ready for input | \
         the app's own painted figure (from its main) |"
    );
    println!("|---|---|---|---|---|");
    for (app, figures) in apps.iter().zip(&figures) {
        let cells: Vec<String> = figures
            .iter()
            .map(|(median, low, high)| format!("{median:.0} ms ({low:.0}–{high:.0})"))
            .collect();
        println!("| {} | {} |", app.name, cells.join(" | "));
    }
    // Every app but the bare window (the second), against it.
    let bare = figures[1];
    for (index, (app, figures)) in apps.iter().zip(&figures).enumerate() {
        if index == 1 {
            continue;
        }
        let ratios: Vec<String> =
            figures.iter().zip(bare).map(|(own, bare)| format!("{:.2}×", own.0 / bare.0)).collect();
        println!("| {} / bare | {} |", app.name, ratios.join(" | "));
    }
}
