//! A moto server of the test's own, stopped when the test ends. It binds a port the system
//! picks and says which on stderr, so no other process can take the port between a probe and
//! the bind, and the test can only ever talk to its own server.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// moto_server starts in one to three seconds; past this it is not coming.
const START_TIMEOUT: Duration = Duration::from_secs(30);

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
        moto
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
