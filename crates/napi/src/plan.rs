//! `startPlan` and `finishPlan`, the exports packaging calls: parse the service, plan it,
//! serialise the answer.
//!
//! The work runs on a thread of its own, which reads the input and its settings while
//! JavaScript writes the template's JSON (at 800 functions that takes it 10 to 15 ms). It runs
//! in the arena (`serverless-canary-arena`): the parsed template and the plan are bumped out
//! of one region, and the thread sends the answer back before it gives the region's pages
//! back, so that JavaScript reads the answer meanwhile. `prepare` starts that thread ahead,
//! with the region's pages and the buffers its JSON crosses through (`boundary`).

use std::sync::{mpsc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use napi::JsString;
use serverless_canary_arena::Lease;
use serverless_canary_core::plan::{plan_with, PlanAnswer, PlanInput};

use crate::boundary::{self, Buffers};

/// The size of the main thread's stack on Linux: the reading and the walks recurse as deep as
/// the template nests, and ran on the main thread before.
const STACK_BYTES: usize = 8 << 20;

/// The arena bytes a byte of JSON (the input's and the template's) needs, about: 23.4 at 800
/// functions (52.4 MB for 2.24 MB of JSON). That much is made ready ahead; more is filled on
/// first use.
const ARENA_BYTES_PER_JSON_BYTE: usize = 24;

/// The template's JSON per byte of the input's, about: 2.8 to 3.7 in the bench's services.
/// The arena is taken as the input is read, before the template comes.
const TEMPLATE_BYTES_PER_INPUT_BYTE: usize = 3;

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

/// A plan whose thread reads the service's settings while JavaScript writes the template's
/// JSON: [`finish`] hands the template over and waits for the answer.
pub struct PendingPlan {
    /// The buffer made ready for the template, and the thread's way to it; taken by [`finish`].
    template: Option<(Vec<u8>, mpsc::SyncSender<Vec<u8>>)>,
    reply: mpsc::Receiver<Result<String, String>>,
    thread: Option<JoinHandle<()>>,
}

/// Starts a plan: the input's JSON crosses through the buffer `prepare` made ready
/// (`boundary`), and the plan's thread reads it and the settings in it.
pub(crate) fn start(input: JsString) -> napi::Result<PendingPlan> {
    let mut worker = Worker::take()?;
    let Buffers {
        input: mut input_json,
        template,
        mut answer,
    } = worker.buffers();
    boundary::write_utf8(input, &mut input_json)?;
    let (hand_over, template_json) = mpsc::sync_channel(1);
    let (send, reply) = mpsc::sync_channel(1);
    let work = move || {
        plan_in_arena(&input_json, template_json, |result| {
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
    Ok(PendingPlan {
        template: Some((template, hand_over)),
        reply,
        thread: Some(worker.thread),
    })
}

/// Hands the plan its template and answers with the resources to write back and every
/// diagnostic, as JSON. A panic in the plan's thread is an Error here, as in the async exports.
pub(crate) fn finish(pending: &mut PendingPlan, template: JsString) -> napi::Result<String> {
    let (mut template_json, hand_over) = pending.template.take().ok_or_else(|| {
        napi::Error::new(
            napi::Status::InvalidArg,
            "serverless-canary: this plan has ended (finished, cancelled, or its template could \
             not be written): start another",
        )
    })?;
    // When this fails, the thread is told so by the dropped channel, and ends.
    boundary::write_utf8(template, &mut template_json)?;
    // Ignored: a thread that ended first (the input could not be read, or it panicked) has
    // answered already or is told below.
    let _ = hand_over.send(template_json);
    match pending.reply.recv() {
        Ok(answer) => answer.map_err(super::invalid_input),
        // The thread ended without an answer, which only a panic does.
        Err(mpsc::RecvError) => match pending.thread.take().map(JoinHandle::join) {
            Some(Err(payload)) => Err(super::internal_error(payload.as_ref())),
            _ => Err(super::internal_error(&"the plan ended without an answer")),
        },
    }
}

/// Ends a plan that will not be finished (writing the template failed in JavaScript): its
/// thread stops waiting and gives the arena back before this returns, where it would
/// otherwise wait until the pending plan is collected.
pub(crate) fn cancel(pending: &mut PendingPlan) {
    pending.template = None;
    if let Some(thread) = pending.thread.take() {
        // Ignored: a panic while reading the input is of no more use once the plan is given up.
        let _ = thread.join();
    }
}

/// Reads the input and its settings, then the template once it is handed over, and replies
/// with the answer, which the reply copies out of the arena, or why the input could not be
/// read (copied out: it outlives the arena). Then frees what the plan used. Replies nothing
/// when the template never comes (the plan was cancelled, or dropped unfinished).
///
/// Both strings are checked as UTF-8, where napi-rs's `String` trusts napi to write it: at
/// 800 functions a fraction of a millisecond, on the plan's thread.
fn plan_in_arena(
    input: &[u8],
    template_json: mpsc::Receiver<Vec<u8>>,
    reply: impl FnOnce(Result<&str, String>),
) {
    let Ok(input) = std::str::from_utf8(input) else {
        // napi writes UTF-8; this only keeps a broken string from being read.
        return reply(Err("the input is not UTF-8".to_owned()));
    };
    let expected_json = input.len() * (1 + TEMPLATE_BYTES_PER_INPUT_BYTE);
    let mut lease = Lease::take(expected_json * ARENA_BYTES_PER_JSON_BYTE);
    // SAFETY: what is built while active is copied out before the reply (the answer, the
    // error's text) or forgotten or dropped before the lease.
    let active = lease.as_mut().map(|lease| unsafe { lease.active() });
    super::panic_probe(input);
    let mut parsed = match PlanInput::read_service(input) {
        Ok(parsed) => parsed,
        Err(error) => {
            drop(active);
            // Copied out: the region is given back while the reply is read.
            return reply(Err(error.as_str().to_owned()));
        }
    };
    let settings = parsed.read_settings();
    // Paused while waiting: the channel keeps what the wait allocates, and outlives the lease.
    drop(active);
    let Ok(template) = template_json.recv() else {
        return;
    };
    // SAFETY: as above.
    let active = lease.as_mut().map(|lease| unsafe { lease.active() });
    let read = std::str::from_utf8(&template)
        .map_err(|_| "the template is not UTF-8".to_owned())
        .and_then(|template| {
            super::panic_probe(template);
            parsed.read_template(template)
        });
    if let Err(error) = read {
        drop(active);
        return reply(Err(error.as_str().to_owned()));
    }
    let plan = plan_with(&parsed, settings);
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
