//! The `bomgraph` command line.
use clap::{Args, Parser, Subcommand};

use service::auth::Role;
use service::db::DEFAULT_DATABASE_URL;

#[derive(Parser, Debug)]
#[command(
    name = "bomgraph",
    version,
    about = "A GraphQL server for bills of materials"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// sqlite://FILE?mode=rwc or postgres://USER@HOST/DB; defaults to bomgraph.db here.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate the database, then serve HTTP until SIGINT or SIGTERM.
    Serve {
        #[arg(long, env = "BOMGRAPH_BIND", default_value = "127.0.0.1:8000")]
        bind: String,
        /// Origins of browser front-ends allowed to call the API (CORS), comma-separated,
        /// each scheme://host[:port] as the browser sends it, e.g. https://bom.example.com;
        /// `*` allows every origin
        #[arg(long, env = "BOMGRAPH_CORS_ORIGINS", value_delimiter = ',', value_parser = crate::cors::parse_origin)]
        cors_origin: Vec<crate::cors::Origin>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Apply pending migrations.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the GraphQL schema (SDL).
    ExportSchema,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Load a demo team, user, parts, BOMs and a program, and print a token.
    Demo {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user (or reset their password) and give them a role in a team. Without
    /// --password, the password is asked for at the terminal, or read as the first line
    /// of standard input when that is not a terminal.
    Create {
        #[arg(long)]
        username: String,
        /// Visible to other users of the machine in the process list: prefer the prompt,
        /// standard input or BOMGRAPH_PASSWORD.
        #[arg(long, env = "BOMGRAPH_PASSWORD")]
        password: Option<String>,
        /// The team's name; created when missing.
        #[arg(long)]
        team: String,
        #[arg(long, default_value = "admin", value_parser = ["admin", "editor", "viewer"])]
        role: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List users with their teams and roles.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (it is shown only once).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "cli")]
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List a user's tokens (names and dates; keys are never shown again).
    List {
        #[arg(long)]
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a user's tokens: all of them, or those with the given name.
    Revoke {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub fn role(s: &str) -> Role {
    Role::parse(s).unwrap_or(Role::Viewer)
}

/// The password for `user create`: the flag or environment when given, else a prompt at
/// the terminal, else the first line of standard input.
pub fn password(given: Option<String>) -> Result<String, String> {
    use std::io::IsTerminal;
    let password = match given {
        Some(p) => p,
        None if std::io::stdin().is_terminal() => {
            let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
            let again =
                rpassword::prompt_password("Password again: ").map_err(|e| e.to_string())?;
            if first != again {
                return Err("the passwords differ".into());
            }
            first
        }
        None => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    if password.is_empty() {
        return Err("the password is empty".into());
    }
    Ok(password)
}
