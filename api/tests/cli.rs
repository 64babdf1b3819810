//! The command line as an operator uses it: passwords from standard input, users and
//! tokens listed, the real bound address logged, and a database that cannot be reached
//! named with the reason while `serve` keeps trying.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bomgraph(args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bomgraph"))
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run bomgraph");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_db() -> (String, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("bomgraph-cli-{}.db", std::process::id()));
    (format!("sqlite://{}", path.display()), path)
}

#[tokio::test]
async fn users_and_tokens_from_the_command_line() {
    let (url, path) = temp_db();
    let (ok, out, err) = bomgraph(
        &[
            "user",
            "create",
            "--username",
            "olga",
            "--team",
            "ops",
            "--role",
            "editor",
            "--database-url",
            &url,
        ],
        "a long password\n",
    );
    assert!(ok, "{out}{err}");
    let db = service::db::connect(&url, None).await.unwrap();
    service::auth::authenticate_password(&db, "olga", "a long password")
        .await
        .expect("the password read from standard input signs in");
    let (ok, _, err) = bomgraph(
        &[
            "user",
            "create",
            "--username",
            "nopass",
            "--team",
            "ops",
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(!ok && err.contains("password is empty"), "{err}");

    let (ok, token, _) = bomgraph(
        &[
            "token",
            "create",
            "--username",
            "olga",
            "--name",
            "laptop",
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(ok && !token.trim().is_empty());
    let (_, users, _) = bomgraph(&["user", "list", "--database-url", &url], "");
    assert_eq!(users.trim(), "olga\tactive\tops (editor)");
    let (_, tokens, _) = bomgraph(
        &[
            "token",
            "list",
            "--username",
            "olga",
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(
        tokens.starts_with("laptop\t") && tokens.trim().ends_with("active"),
        "{tokens}"
    );
    assert!(!tokens.contains(token.trim()), "keys are never shown again");
    remove_db(&path.display().to_string());
}

/// Removes a SQLite database and its WAL files.
fn remove_db(path: &str) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
}

/// `bomgraph serve` on a free port, with its log (standard error) to read.
fn serve(url: &str) -> (std::process::Child, BufReader<std::process::ChildStderr>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bomgraph"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start bomgraph serve");
    let log = BufReader::new(child.stderr.take().expect("piped"));
    (child, log)
}

/// Reads the server's log until a line contains `needle`, for at most `limit`.
fn wait_for_line(reader: &mut impl BufRead, needle: &str, limit: Duration) -> Option<String> {
    let start = Instant::now();
    let mut line = String::new();
    while start.elapsed() < limit {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line.contains(needle) {
            return Some(line.clone());
        }
    }
    None
}

#[test]
fn serve_logs_the_port_it_really_bound() {
    let (url, path) = temp_db();
    let url = format!("{url}-serve");
    let (mut child, mut log) = serve(&url);
    let line = wait_for_line(&mut log, "listening", Duration::from_secs(30));
    let line = line.expect("a listening line");
    let address = line
        .split("address=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("address= in the line")
        .to_owned();
    assert!(!address.ends_with(":0"), "{line}");
    assert!(
        !line.contains('\u{1b}'),
        "no colour codes when not on a terminal: {line:?}"
    );
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let _ = child.kill();
    let _ = child.wait();
    remove_db(&format!("{}-serve", path.display()));
}

#[test]
fn an_unreachable_database_is_named_and_retried() {
    let (mut child, mut log) = serve("postgres://bomgraph:secret@127.0.0.1:1/bomgraph");
    let first = wait_for_line(&mut log, "trying again", Duration::from_secs(10))
        .expect("the first failure is reported within seconds");
    assert!(
        first.contains("postgres://bomgraph@127.0.0.1:1/bomgraph"),
        "{first}"
    );
    assert!(!first.contains("secret"), "no password in the log: {first}");
    assert!(
        first.to_lowercase().contains("refused"),
        "says why: {first}"
    );
    let second = wait_for_line(&mut log, "trying again in 2 s", Duration::from_secs(10));
    assert!(second.is_some(), "a growing pause between attempts");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn serve_refuses_an_origin_that_could_never_match() {
    for (origin, says) in [
        ("bom.example.com", "has no scheme"),
        ("https://bom.example.com/", "has a path"),
    ] {
        let (ok, _, err) = bomgraph(
            &["serve", "--bind", "127.0.0.1:0", "--cors-origin", origin],
            "",
        );
        assert!(!ok, "serve started with --cors-origin {origin}");
        assert!(err.contains(says), "{origin}: {err}");
        assert!(err.contains("scheme://host[:port]"), "{origin}: {err}");
    }
}
