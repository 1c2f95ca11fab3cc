//! A scripted CodeDeploy endpoint on loopback, for what moto does not implement
//! (GetDeploymentConfig) or answers differently from AWS (DeploymentGroupDoesNotExist). It
//! speaks CodeDeploy's awsJson 1.1: `X-Amz-Target: CodeDeploy_20141006.<Operation>`.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The test's script: operation and request body -> HTTP status and JSON body.
pub(crate) type Script = fn(&str, &Value) -> (u16, Value);

pub(crate) struct ScriptedCodeDeploy {
    pub endpoint: String,
    /// `<Operation> <request JSON>` for each request received, in arrival order.
    calls: Arc<Mutex<Vec<String>>>,
}

impl ScriptedCodeDeploy {
    /// Serves on the calling test's runtime until the test ends.
    pub(crate) async fn start(script: Script) -> ScriptedCodeDeploy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&calls);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(answer(socket, script, Arc::clone(&log)));
            }
        });
        ScriptedCodeDeploy { endpoint, calls }
    }

    /// The requests of `operation` received so far, as `<Operation> <request JSON>`.
    pub(crate) fn calls_of(&self, operation: &str) -> Vec<String> {
        let calls = self.calls.lock().expect("calls log");
        calls
            .iter()
            .filter(|call| call.starts_with(operation))
            .cloned()
            .collect()
    }
}

/// One request per connection (`Connection: close`), which the SDK's client accepts.
async fn answer(mut socket: TcpStream, script: Script, log: Arc<Mutex<Vec<String>>>) {
    let Some((headers, body)) = read_request(&mut socket).await else {
        return;
    };
    let operation = header(&headers, "x-amz-target")
        .and_then(|target| target.strip_prefix("CodeDeploy_20141006."))
        .unwrap_or_default()
        .to_owned();
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    log.lock()
        .expect("calls log")
        .push(format!("{operation} {request}"));
    let (status, answer) = script(&operation, &request);
    let answer = answer.to_string();
    let response = format!(
        "HTTP/1.1 {status} Scripted\r\nContent-Type: application/x-amz-json-1.1\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = socket.write_all(response.as_bytes()).await;
    let _ = socket.shutdown().await;
}

async fn read_request(socket: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = socket.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
        received.extend_from_slice(&chunk[..read]);
    };
    let headers = String::from_utf8_lossy(&received[..header_end]).into_owned();
    let length: usize = header(&headers, "content-length")
        .and_then(|value| value.parse().ok())
        .unwrap_or(0);
    while received.len() < header_end + length {
        let read = socket.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
        received.extend_from_slice(&chunk[..read]);
    }
    Some((headers, received[header_end..header_end + length].to_vec()))
}

fn header<'a>(headers: &'a str, name: &str) -> Option<&'a str> {
    headers.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}
