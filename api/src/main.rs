use std::process::ExitCode;

use api::cli::{role, Cli, Command, TokenCommand, UserCommand};
use api::{router, AppState};
use clap::Parser;
use service::auth::{self, NewUser};
use service::ServiceError;
use tracing_subscriber::EnvFilter;

/// Under load, glibc's malloc took some 40% of the server's CPU (many small allocations
/// from many threads contending for its arenas; `perf` under `bench/run`); mimalloc's
/// thread-local heaps avoid that contention.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    if std::env::var("BOMGRAPH_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

async fn run(cli: Cli) -> Result<(), String> {
    let fail = |e: ServiceError| match e {
        ServiceError::Internal(detail) => detail,
        other => other.to_string(),
    };
    match cli.command {
        Command::ExportSchema => {
            print!("{}", api::graphql::sdl());
        }
        Command::Migrate { db } => {
            open_once(&db.database_url).await?;
            println!("database is up to date");
        }
        Command::Serve {
            bind,
            cors_origin,
            db,
        } => {
            let mut state = open_patiently(&db.database_url).await?;
            state.cors = api::cors::CorsPolicy::allowing(&cors_origin);
            if auth::is_empty(&state.db).await.map_err(fail)? {
                println!(
                    "This database has no users yet. Either load the demo data:\n  \
                     bomgraph demo\nor create a user and a token:\n  \
                     bomgraph user create --username alice --password 'a long password' --team hardware\n  \
                     bomgraph token create --username alice\n\
                     then open http://{bind}/graphiql and send the token as \
                     {{\"Authorization\": \"Bearer <token>\"}}."
                );
            }
            let listener = tokio::net::TcpListener::bind(&bind)
                .await
                .map_err(|e| format!("cannot bind {bind}: {e}"))?;
            let bound = listener.local_addr().map_err(|e| e.to_string())?;
            tracing::info!(address = %bound, "bomgraph listening; GraphiQL at http://{bound}/graphiql");
            let worker = api::worker::Worker::spawn_observed(
                state.db.clone(),
                Some(state.metrics.job_duration.clone()),
            );
            // small messages (subscription events, short answers) leave at once
            let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
                if let Err(e) = tcp.set_nodelay(true) {
                    tracing::warn!(error = %e, "cannot set TCP_NODELAY");
                }
            });
            let (closing, metrics) = (state.closing.clone(), state.metrics.clone());
            axum::serve(listener, router(state))
                .with_graceful_shutdown(async move {
                    shutdown_signal().await;
                    closing.send_replace(true);
                })
                .await
                .map_err(|e| e.to_string())?;
            // WebSockets are not the server's connections any more: give them a moment
            // to send their closing frames
            for _ in 0..20 {
                if metrics.ws_connections.get() == 0 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            worker.stop().await;
        }
        Command::User {
            command:
                UserCommand::Create {
                    username,
                    password,
                    team,
                    role: r,
                    db,
                },
        } => {
            let password = api::cli::password(password)?;
            let state = open_once(&db.database_url).await?;
            let user = auth::create_user(
                &state.db,
                NewUser {
                    username: &username,
                    password: &password,
                    team: &team,
                    role: role(&r),
                },
            )
            .await
            .map_err(fail)?;
            println!("user {} is {} of team {}", user.username, r, team);
        }
        Command::Token {
            command: TokenCommand::Create { username, name, db },
        } => {
            let state = open_once(&db.database_url).await?;
            let token = auth::create_token(&state.db, &username, &name)
                .await
                .map_err(fail)?;
            println!("{token}");
        }
        Command::User {
            command: UserCommand::List { db },
        } => {
            let state = open_once(&db.database_url).await?;
            for (user, teams) in auth::list_users(&state.db).await.map_err(fail)? {
                let teams: Vec<String> = teams
                    .iter()
                    .map(|t| format!("{} ({})", t.team_name, t.role.as_str()))
                    .collect();
                println!(
                    "{}\t{}\t{}",
                    user.username,
                    if user.is_active { "active" } else { "inactive" },
                    teams.join(", ")
                );
            }
        }
        Command::Token {
            command: TokenCommand::List { username, db },
        } => {
            let state = open_once(&db.database_url).await?;
            for token in auth::user_tokens(&state.db, &username)
                .await
                .map_err(fail)?
            {
                println!(
                    "{}\t{}\t{}",
                    token.name,
                    token.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    if token.revoked { "revoked" } else { "active" }
                );
            }
        }
        Command::Token {
            command: TokenCommand::Revoke { username, name, db },
        } => {
            let state = open_once(&db.database_url).await?;
            let revoked = auth::revoke_tokens(&state.db, &username, name.as_deref())
                .await
                .map_err(fail)?;
            println!("revoked {revoked} token(s) of {username}");
        }
        Command::Demo { db } => {
            let state = open_once(&db.database_url).await?;
            let summary = service::demo::load(&state.db).await.map_err(fail)?;
            println!(
                "Loaded team '{}' with {} parts and {} BOMs; the sample CAD export's {} lines matched {} catalogue parts.\nUser: {} / {}\nToken: {}\n\
                 Next: bomgraph serve, then open http://127.0.0.1:8000/graphiql and set the header\n  \
                 {{\"Authorization\": \"Bearer {}\"}}",
                service::demo::DEMO_TEAM,
                summary.parts,
                summary.boms,
                summary.raw_lines,
                summary.matched_lines,
                service::demo::DEMO_USER,
                service::demo::DEMO_PASSWORD,
                summary.token,
                summary.token
            );
        }
    }
    Ok(())
}

/// Opens the database once, for the one-shot commands; a failure names the database.
async fn open_once(url: &str) -> Result<AppState, String> {
    if let Err(why) = service::db::probe(url).await {
        return Err(format!(
            "cannot reach the database at {}: {why}",
            service::db::describe(url)
        ));
    }
    AppState::open(url).await.map_err(|e| {
        let detail = match e {
            ServiceError::Internal(detail) => detail,
            other => other.to_string(),
        };
        format!("database {}: {detail}", service::db::describe(url))
    })
}

/// Opens the database for `serve`, trying again with a growing pause (1, 2, 4 ... 30 s)
/// while it cannot be reached, and saying each time where and why; SIGINT or SIGTERM
/// gives up.
async fn open_patiently(url: &str) -> Result<AppState, String> {
    let where_ = service::db::describe(url);
    let mut pause = std::time::Duration::from_secs(1);
    loop {
        tracing::info!(database = %where_, "connecting to the database");
        match service::db::probe(url).await {
            Ok(()) => return open_once(url).await,
            Err(why) => tracing::warn!(
                database = %where_,
                error = %why,
                "the database cannot be reached; trying again in {} s",
                pause.as_secs()
            ),
        }
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = shutdown_signal() => return Err(format!("gave up reaching the database at {where_}")),
        }
        pause = (pause * 2).min(std::time::Duration::from_secs(30));
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
