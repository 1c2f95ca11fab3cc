//! A moto server of the test's own, stopped when the test ends. It binds a port the system
//! picks and says which on stderr, so no other process can take the port between a probe and
//! the bind, and the test can only ever talk to its own server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// moto_server starts in one to three seconds; past this it is not coming.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long loading one backend may take on a machine busy with other builds. Generous: it is
/// the test's setup, not the product, that waits here.
const LOAD_TIMEOUT: Duration = Duration::from_secs(300);

/// The services the product calls, each with a cheap call: (credential scope, `X-Amz-Target`
/// for a JSON-protocol service, body). moto imports a service's backend on its first call,
/// which on a busy machine can outlast the product's 4-second attempt timeout; loaded before
/// a test starts, the product meets a server as ready as AWS is.
const BACKENDS: [(&str, Option<&str>, &str); 3] = [
    (
        "cloudformation",
        None,
        "Action=DescribeStacks&Version=2010-05-15",
    ),
    (
        "monitoring",
        None,
        "Action=DescribeAlarms&Version=2010-08-01",
    ),
    (
        "codedeploy",
        Some("CodeDeploy_20141006.ListApplications"),
        "{}",
    ),
];

pub(crate) struct Moto {
    child: Child,
    pub endpoint: String,
}

impl Moto {
    /// Fails the test, saying how to install moto, when `.venv` does not have it: a test that
    /// silently skips would pass without checking anything.
    pub(crate) fn start() -> Moto {
        let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/moto_server");
        assert!(
            binary.exists(),
            "{} not found: the AWS preflight tests need moto. Run `npm test` (it creates .venv \
             from requirements-test.txt), or `python3 -m venv .venv && .venv/bin/pip install -r \
             requirements-test.txt`",
            binary.display()
        );
        let mut child = Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", binary.display()));
        let stderr = child.stderr.take().expect("moto_server's stderr");
        let (port_sender, port) = mpsc::channel();
        // Werkzeug prints ` * Running on http://127.0.0.1:<port>` once it listens, then a line
        // per request: the pipe is read to its end so the server never blocks on it.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(port) = line.split("Running on http://127.0.0.1:").nth(1) {
                    let _ = port_sender.send(port.trim().to_owned());
                }
            }
        });
        let mut moto = Moto {
            child,
            endpoint: String::new(),
        };
        let port = port.recv_timeout(START_TIMEOUT).unwrap_or_else(|_| {
            let exit = moto.child.try_wait().ok().flatten();
            panic!("moto_server did not say it listens within {START_TIMEOUT:?} (exit: {exit:?})")
        });
        moto.endpoint = format!("http://127.0.0.1:{port}");
        for backend in BACKENDS {
            load_backend(&port, backend);
        }
        moto
    }
}

/// One call to a backend, waited for to its end whatever moto answers: once it has answered,
/// the backend is loaded.
fn load_backend(port: &str, (service, target, body): (&str, Option<&str>, &str)) {
    let content_type = match target {
        Some(_) => "application/x-amz-json-1.1",
        None => "application/x-www-form-urlencoded",
    };
    let target = target.map_or(String::new(), |t| format!("X-Amz-Target: {t}\r\n"));
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=x\r\n\
         Content-Type: {content_type}\r\n{target}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut answer = String::new();
    let answered = TcpStream::connect(format!("127.0.0.1:{port}")).and_then(|mut stream| {
        stream.set_read_timeout(Some(LOAD_TIMEOUT))?;
        stream.write_all(request.as_bytes())?;
        stream.read_to_string(&mut answer)
    });
    assert!(
        answered.is_ok() && answer.starts_with("HTTP/1."),
        "moto did not load its {service} backend within {LOAD_TIMEOUT:?}: {answered:?} {answer}"
    );
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
