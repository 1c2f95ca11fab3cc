//! `plan`, the export packaging calls: parse the service, plan it, serialise the answer.
//!
//! The work runs on a thread of its own, in the arena (`serverless-canary-arena`): the parsed
//! template and the plan are bumped out of one region, and the thread sends the answer back
//! before it gives the region's pages back, so that JavaScript reads the answer meanwhile.

use std::panic::resume_unwind;
use std::sync::mpsc;
use std::thread;

use serverless_canary_arena::Lease;
use serverless_canary_core::plan::{plan, PlanAnswer, PlanInput};

/// The size of the main thread's stack on Linux: the reading and the walks recurse as deep as
/// the template nests, and ran on the main thread before.
const STACK_BYTES: usize = 8 << 20;

/// The arena bytes a byte of input needs, about: 23.4 at 800 functions (52.4 MB for 2.24 MB
/// of JSON). That much is made ready ahead; more is filled on first use.
const ARENA_BYTES_PER_INPUT_BYTE: usize = 24;

/// The arena bytes a plan needs per function of the service, about: 65 KB at 800 http
/// functions, 55 KB at 800 of mixed events. Known before the template is.
const ARENA_BYTES_PER_FUNCTION: usize = 64 << 10;

/// Starts making the arena ready for the plan of a service of `functions` functions, on a
/// helper thread, while the Framework packages and compiles it (see `serverless_canary_arena::prepare`).
pub(crate) fn prepare(functions: u32) {
    let functions = usize::try_from(functions).unwrap_or(usize::MAX);
    serverless_canary_arena::prepare(functions.saturating_mul(ARENA_BYTES_PER_FUNCTION));
}

/// The service in, the resources to write back and every diagnostic out, as JSON. A panic in
/// the worker is raised again here, for the export's `catch_unwind` to turn into an Error.
pub(crate) fn plan_json(input: String) -> napi::Result<String> {
    let (send, answer) = mpsc::sync_channel(1);
    let work = move || {
        plan_in_arena(&input, |answer| {
            // Ignored: the receiver waits until it hears back or this thread ends.
            let _ = send.send(answer);
        });
    };
    let worker = thread::Builder::new()
        .name("canary-plan".into())
        .stack_size(STACK_BYTES)
        .spawn(work)
        .map_err(no_thread)?;
    match answer.recv() {
        Ok(answer) => answer.map_err(super::invalid_input),
        // The worker ended without an answer, which only a panic does: raise it here.
        Err(mpsc::RecvError) => match worker.join() {
            Err(payload) => resume_unwind(payload),
            Ok(()) => Err(super::internal_error(&"the plan ended without an answer")),
        },
    }
}

/// Replies with the answer, or why the input could not be read (both copied out of the arena:
/// they outlive it), and then frees what the plan used.
fn plan_in_arena(input: &str, reply: impl FnOnce(Result<String, String>)) {
    let mut lease = Lease::take(input.len() * ARENA_BYTES_PER_INPUT_BYTE);
    // SAFETY: what is built while active is copied out before the reply (the answer, the
    // error's text) or forgotten or dropped before the lease.
    let active = lease.as_mut().map(|lease| unsafe { lease.active() });
    super::panic_probe(input);
    let parsed: PlanInput = match serde_json::from_str(input) {
        Ok(parsed) => parsed,
        Err(error) => {
            drop(active);
            return reply(Err(error.to_string()));
        }
    };
    let plan = plan(&parsed);
    let answer = serde_json::to_string(&PlanAnswer::new(&parsed, &plan));
    drop(active);
    reply(match &answer {
        Ok(text) => Ok(text.as_str().to_owned()),
        Err(error) => Err(error.to_string()),
    });
    // Everything they hold is in the region unless it spilled: the lease gives it back whole.
    if lease.as_ref().is_some_and(|lease| !lease.spilled()) {
        std::mem::forget(answer);
        std::mem::forget(plan);
        std::mem::forget(parsed);
    }
}

fn no_thread(error: std::io::Error) -> napi::Error {
    napi::Error::new(
        napi::Status::GenericFailure,
        format!("serverless-canary: could not start a thread to plan on: {error}"),
    )
}
