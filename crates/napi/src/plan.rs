//! `plan`, the export packaging calls: parse the service, plan it, serialise the answer.
//!
//! The work runs on a thread of its own, in the arena (`serverless-canary-arena`): the parsed
//! template and the plan are bumped out of one region, and the thread sends the answer back
//! before it gives the region's pages back, so that JavaScript reads the answer meanwhile.
//! `prepare` starts that thread ahead, with the region's pages and the buffers its JSON
//! crosses through (`boundary`).

use std::ops::Range;
use std::panic::resume_unwind;
use std::sync::{mpsc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use napi::JsString;
use serverless_canary_arena::Lease;
use serverless_canary_core::plan::{plan, PlanAnswer, PlanInput};

use crate::boundary::{self, Buffers};

/// The size of the main thread's stack on Linux: the reading and the walks recurse as deep as
/// the template nests, and ran on the main thread before.
const STACK_BYTES: usize = 8 << 20;

/// The arena bytes a byte of input needs, about: 23.4 at 800 functions (52.4 MB for 2.24 MB
/// of JSON). That much is made ready ahead; more is filled on first use.
const ARENA_BYTES_PER_INPUT_BYTE: usize = 24;

/// The arena bytes a plan needs per function of the service, about: 65 KB at 800 http
/// functions, 55 KB at 800 of mixed events. Known before the template is.
const ARENA_BYTES_PER_FUNCTION: usize = 64 << 10;

/// A plan's work, sent to the thread it runs on.
type Work = Box<dyn FnOnce() + Send>;

/// A thread waiting for a plan's work, which it runs once: starting one in the package hook
/// (the clone, its stack's mapping) took 0.15 to 0.9 ms of it at 60 functions.
struct Worker {
    work: mpsc::SyncSender<Work>,
    thread: JoinHandle<()>,
    /// The buffers it makes ready first, when `prepare` started it.
    buffers: Option<mpsc::Receiver<Buffers>>,
}

/// The worker [`prepare`] started, until a plan takes it.
static WAITING: Mutex<Option<Worker>> = Mutex::new(None);

impl Worker {
    /// A thread that first makes the buffers ready for a plan of `functions` functions, when
    /// given, then waits for its work.
    fn start(functions: Option<usize>) -> std::io::Result<Worker> {
        let (work, next) = mpsc::sync_channel::<Work>(1);
        let (ready, buffers) = mpsc::sync_channel(1);
        let thread = thread::Builder::new()
            .name("canary-plan".into())
            .stack_size(STACK_BYTES)
            .spawn(move || {
                if let Some(functions) = functions {
                    // Ignored: fails only when the worker was dropped unused.
                    let _ = ready.send(boundary::make_ready(functions));
                }
                next.recv().into_iter().for_each(|work| work());
            })?;
        let buffers = functions.map(|_| buffers);
        Ok(Worker {
            work,
            thread,
            buffers,
        })
    }

    /// The buffers it made ready (waiting until they are: at most 24 MB to touch, long done
    /// when packaging reaches the plan), or empty ones.
    fn buffers(&mut self) -> Buffers {
        let ready = self.buffers.take().and_then(|buffers| buffers.recv().ok());
        ready.unwrap_or_default()
    }

    /// The worker `prepare` started, or a new one.
    fn take() -> napi::Result<Worker> {
        let waiting = WAITING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        waiting.map_or_else(|| Worker::start(None).map_err(no_thread), Ok)
    }
}

/// Starts making the arena ready for the plan of a service of `functions` functions, and the
/// thread it will run on, which first makes ready the buffers its JSON crosses through
/// (`boundary`), while the Framework packages and compiles it (see
/// `serverless_canary_arena::prepare`). A thread that cannot start now is started by the plan.
pub(crate) fn prepare(functions: u32) {
    let functions = usize::try_from(functions).unwrap_or(usize::MAX);
    serverless_canary_arena::prepare(functions.saturating_mul(ARENA_BYTES_PER_FUNCTION));
    let mut waiting = WAITING.lock().unwrap_or_else(PoisonError::into_inner);
    if waiting.is_none() {
        *waiting = Worker::start(Some(functions)).ok();
    }
}

/// The service in, with its template as JSON of its own or inside it, and the resources to
/// write back and every diagnostic out, as JSON. The strings cross through the buffers
/// `prepare` made ready (`boundary`). A panic in the worker is raised again here, for the
/// export's `catch_unwind` to turn into an Error.
pub(crate) fn plan_json(input: JsString, template: Option<JsString>) -> napi::Result<String> {
    let mut worker = Worker::take()?;
    let Buffers {
        mut incoming,
        mut answer,
    } = worker.buffers();
    let input_at = boundary::append_utf8(input, &mut incoming)?;
    let template_at = template
        .map(|template| boundary::append_utf8(template, &mut incoming))
        .transpose()?;
    let (send, reply) = mpsc::sync_channel(1);
    let work = move || {
        // Checked, where napi-rs's `String` trusts napi to write UTF-8: at 800 functions a
        // fraction of a millisecond, on the plan's thread.
        let text = |at: Range<usize>| std::str::from_utf8(&incoming[at]);
        let Ok((input, template)) = text(input_at).and_then(|input| {
            let template = template_at.map(text).transpose()?;
            Ok((input, template))
        }) else {
            // napi writes UTF-8; this only keeps a broken string from being read.
            let _ = send.send(Err("the input is not UTF-8".to_owned()));
            return;
        };
        plan_in_arena(input, template, |result| {
            // Ignored: the receiver waits until it hears back or this thread ends.
            let _ = send.send(result.map(|text| {
                answer.push_str(text);
                answer
            }));
        });
    };
    // A worker is taken once and waits for its one piece of work; only one that ended first
    // (making the buffers ready failed) refuses it, and a fresh one takes it.
    let worker = match worker.work.send(Box::new(work)) {
        Ok(()) => worker,
        Err(mpsc::SendError(work)) => {
            let fresh = Worker::start(None).map_err(no_thread)?;
            if fresh.work.send(work).is_err() {
                return Err(super::internal_error(
                    &"the plan's thread ended before its work",
                ));
            }
            fresh
        }
    };
    match reply.recv() {
        Ok(answer) => answer.map_err(super::invalid_input),
        // The worker ended without an answer, which only a panic does: raise it here.
        Err(mpsc::RecvError) => match worker.thread.join() {
            Err(payload) => resume_unwind(payload),
            Ok(()) => Err(super::internal_error(&"the plan ended without an answer")),
        },
    }
}

/// Replies with the answer, which the reply copies out of the arena, or why the input could
/// not be read (copied out: it outlives the arena), and then frees what the plan used.
fn plan_in_arena(input: &str, template: Option<&str>, reply: impl FnOnce(Result<&str, String>)) {
    let input_bytes = input.len() + template.map_or(0, str::len);
    let mut lease = Lease::take(input_bytes * ARENA_BYTES_PER_INPUT_BYTE);
    // SAFETY: what is built while active is copied out before the reply (the answer, the
    // error's text) or forgotten or dropped before the lease.
    let active = lease.as_mut().map(|lease| unsafe { lease.active() });
    super::panic_probe(input);
    let parsed = match PlanInput::read(input, template) {
        Ok(parsed) => parsed,
        Err(error) => {
            drop(active);
            // Copied out: the region is given back while the reply is read.
            return reply(Err(error.as_str().to_owned()));
        }
    };
    let plan = plan(&parsed);
    let answer = serde_json::to_string(&PlanAnswer::new(&parsed, &plan));
    drop(active);
    reply(answer.as_deref().map_err(ToString::to_string));
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
