//! `rehome-sandbox`: the sample directory as a standalone server, for demos, manual testing and
//! benchmarks. Prints its base URL, then serves until interrupted.

use std::time::Duration;

use clap::Parser;
use rehome_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, SANDBOX_CLIENT_ID};

#[derive(Parser, Debug)]
#[command(
    name = "rehome-sandbox",
    about = "The sample directory: a local Microsoft identity platform and Microsoft Graph for Rehome"
)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, env = "REHOME_SANDBOX_PORT", default_value_t = 0)]
    port: u16,
    /// The same seed gives the same directory.
    #[arg(long, env = "REHOME_SANDBOX_SEED", default_value_t = 2020)]
    seed: u64,
    /// Latency added to every response, in milliseconds.
    #[arg(long, env = "REHOME_SANDBOX_LATENCY_MS", default_value_t = 0)]
    latency_ms: u64,
    /// Random extra latency, up to this many milliseconds.
    #[arg(long, env = "REHOME_SANDBOX_JITTER_MS", default_value_t = 0)]
    jitter_ms: u64,
    /// Answer 429 with Retry-After: `[METHOD:]PATH[=SECONDS]`, e.g. `GET:/v1.0/users=2`.
    #[arg(long, env = "REHOME_SANDBOX_THROTTLE", value_delimiter = ',')]
    throttle: Vec<String>,
    /// Answer 503: `[METHOD:]PATH`.
    #[arg(long, env = "REHOME_SANDBOX_UNAVAILABLE", value_delimiter = ',')]
    unavailable: Vec<String>,
    /// Apply the write, then drop the connection: `[METHOD:]PATH`.
    #[arg(long, env = "REHOME_SANDBOX_DROP_AFTER_WRITE", value_delimiter = ',')]
    drop_after_write: Vec<String>,
    /// Answer with a body that is not JSON: `[METHOD:]PATH`.
    #[arg(long, env = "REHOME_SANDBOX_MALFORMED", value_delimiter = ',')]
    malformed: Vec<String>,
    /// Hold the body back: `[METHOD:]PATH=MILLISECONDS`.
    #[arg(long, env = "REHOME_SANDBOX_SLOW_BODY", value_delimiter = ',')]
    slow_body: Vec<String>,
    /// Sign in as this admin (UPN) without showing the sign-in page.
    #[arg(long, env = "REHOME_SANDBOX_AUTO_SIGN_IN")]
    auto_sign_in: Option<String>,
    /// Seconds before a `mail` set by PATCH is seen by the invitation service (0: at once).
    #[arg(long, env = "REHOME_SANDBOX_MAIL_PROPAGATION_SECS", default_value_t = 12)]
    mail_propagation_secs: u64,
}

fn with_number(spec: &str) -> (&str, Option<f64>) {
    match spec.rsplit_once('=') {
        Some((target, number)) => (target, number.parse().ok()),
        None => (spec, None),
    }
}

fn faults(args: &Args) -> Vec<FaultRule> {
    let mut rules = vec![];
    for spec in &args.throttle {
        let (target, seconds) = with_number(spec);
        rules.push(FaultRule::parse_target(
            target,
            Fault::Throttle { retry_after_secs: seconds.unwrap_or(1.0) },
        ));
    }
    for target in &args.unavailable {
        rules.push(FaultRule::parse_target(target, Fault::Unavailable { retry_after_secs: None }));
    }
    for target in &args.drop_after_write {
        rules.push(FaultRule::parse_target(target, Fault::DropAfterWrite));
    }
    for target in &args.malformed {
        rules.push(FaultRule::parse_target(target, Fault::MalformedBody));
    }
    for spec in &args.slow_body {
        let (target, millis) = with_number(spec);
        let delay = Duration::from_millis(millis.unwrap_or(2000.0) as u64);
        rules.push(FaultRule::parse_target(target, Fault::SlowBody { delay }));
    }
    rules
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    // The practice directory's defaults, with what the command line says.
    let config = SandboxConfig {
        port: args.port,
        seed: args.seed,
        latency_ms: args.latency_ms,
        jitter_ms: args.jitter_ms,
        faults: faults(&args),
        auto_sign_in: args.auto_sign_in.clone(),
        mail_propagation: Duration::from_secs(args.mail_propagation_secs),
        signing_key: None,
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("rehome-sandbox could not start on 127.0.0.1:{}: {error}", args.port);
            std::process::exit(1);
        }
    };
    println!("{}", sandbox.base_url());
    eprintln!("Sample directory \"Contoso (sample)\", tenant {}", sandbox.tenant_id());
    eprintln!("  Graph:     {}/v1.0", sandbox.base_url());
    eprintln!("  Sign-in:   {}/organizations/oauth2/v2.0/authorize", sandbox.base_url());
    eprintln!("  Client ID: {SANDBOX_CLIENT_ID}");
    let _ = tokio::signal::ctrl_c().await;
    sandbox.stop().await;
}
