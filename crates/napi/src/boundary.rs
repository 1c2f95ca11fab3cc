//! The plan's JSON in and out, through memory made ready ahead. Converting a JavaScript string
//! the usual way (napi-rs's `String`) asks V8 for its UTF-8 length, allocates that much fresh
//! memory and has V8 write into it; the answer was copied out of the arena into fresh memory
//! too. On this kind of machine a page's first touch costs about 5 µs, and at 800 functions
//! the call took 1,650 to 1,770 minor page faults, with 5.6 to 8 ms of it spent outside the
//! plan's thread (`CONTRIBUTING.md` › Speed). Here the thread `preparePlan` starts touches
//! buffers sized for the service first, and the strings are written straight into them, in
//! one pass when they fit.

use napi::{check_status, sys, JsString, JsValue};

/// The input's JSON per function, about: 0.6 KB at 60 and at 800 functions of the bench's
/// services, with their serverless.yml.
const INPUT_BYTES_PER_FUNCTION: usize = 1 << 10;

/// The template's JSON per function, about: 1.7 to 2.2 KB there.
const TEMPLATE_BYTES_PER_FUNCTION: usize = 3 << 10;

/// The answer's JSON per function, about: 1.4 to 1.6 KB there.
const ANSWER_BYTES_PER_FUNCTION: usize = 2 << 10;

/// Buffers for at most this many functions (24 MB): a larger service gets the rest the usual
/// way, and a count that is not one (`preparePlan(-1)` arrives as 4,294,967,295) asks no
/// more memory than this.
const MOST_READY_FUNCTIONS: usize = 4096;

/// The most bytes one character takes in UTF-8: V8 writes whole characters only, so a string
/// that stopped this close to the buffer's end may have been cut.
const CHAR_BYTES: usize = 4;

/// Buffers whose pages have been touched, for the next plan.
#[derive(Default)]
pub(crate) struct Buffers {
    /// The input's UTF-8.
    pub input: Vec<u8>,
    /// The template's UTF-8.
    pub template: Vec<u8>,
    /// Where the answer is copied out of the arena.
    pub answer: String,
}

/// Buffers for the plan of `functions` functions, their pages touched on the calling thread
/// (the plan's own, before it waits for its work, while the Framework packages on the other
/// core).
pub(crate) fn make_ready(functions: usize) -> Buffers {
    let functions = functions.min(MOST_READY_FUNCTIONS);
    let input = touched(functions * INPUT_BYTES_PER_FUNCTION);
    let template = touched(functions * TEMPLATE_BYTES_PER_FUNCTION);
    let answer = touched(functions * ANSWER_BYTES_PER_FUNCTION);
    Buffers {
        input,
        template,
        // Empty, so UTF-8: never the default.
        answer: String::from_utf8(answer).unwrap_or_default(),
    }
}

/// An empty buffer of `bytes` capacity, every page of it written once (`vec![0; bytes]` would
/// not be: the allocator may hand over zeroed pages the kernel has yet to give). Empty when
/// the memory cannot be had.
fn touched(bytes: usize) -> Vec<u8> {
    let mut buffer = Vec::new();
    if buffer.try_reserve_exact(bytes).is_ok() {
        buffer.resize(bytes, b' ');
        buffer.clear();
    }
    buffer
}

/// Writes `string`'s UTF-8 into the empty `buffer`: straight into its room when it fits
/// there; otherwise its length is asked first.
pub(crate) fn write_utf8(string: JsString, buffer: &mut Vec<u8>) -> napi::Result<()> {
    buffer.clear();
    let spare = buffer.capacity();
    let mut written = 0;
    let fits = spare > CHAR_BYTES && {
        written = napi_write(string, buffer, spare)?;
        written + CHAR_BYTES < spare
    };
    if !fits {
        let length = string.utf8_len().map_err(not_a_string)?;
        buffer.reserve(length + 1);
        written = napi_write(string, buffer, length + 1)?;
    }
    // SAFETY: napi initialised the first `written` bytes of the spare room (`napi_write`).
    unsafe { buffer.set_len(written) };
    Ok(())
}

/// Has V8 write `string` into `buffer`'s spare room, at most `size` bytes with the NUL it adds,
/// and says how many bytes of UTF-8 it wrote.
fn napi_write(string: JsString, buffer: &mut Vec<u8>, size: usize) -> napi::Result<usize> {
    let value = string.value();
    let spare = buffer.spare_capacity_mut();
    let size = size.min(spare.len());
    let mut written = 0;
    // SAFETY: `value` is a string of this call's `env`; the destination is `size` bytes of the
    // buffer's spare room, and napi writes at most that many (the UTF-8, then a NUL).
    check_status!(unsafe {
        sys::napi_get_value_string_utf8(
            value.env,
            value.value,
            spare.as_mut_ptr().cast(),
            size,
            &mut written,
        )
    })
    .map_err(not_a_string)?;
    Ok(written.min(size.saturating_sub(1)))
}

/// napi's own error says only its status (`StringExpected`).
fn not_a_string(error: napi::Error) -> napi::Error {
    napi::Error::new(
        error.status,
        "serverless-canary: startPlan and finishPlan take the input and the template as \
         strings of JSON",
    )
}
