//! A moto server of the test's own, on a free loopback port, stopped when the test ends.

use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::free_port;

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
        let port = free_port();
        let child = Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", binary.display()));
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < START_TIMEOUT,
                "moto_server did not listen on port {port} within {START_TIMEOUT:?}"
            );
            sleep(Duration::from_millis(100));
        }
        moto
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
