//! Problems in the settings as written: each key and value of `deploymentSettings`, alone or
//! with the others of its function. One file per concern; callers reach every constructor as
//! `diag::<name>`.

mod alarms;
mod deployment;
mod generated_ids;
mod hooks;
mod service_file;
mod shape;
mod triggers;
mod version_alarms;

pub(crate) use alarms::*;
pub(crate) use deployment::*;
pub(crate) use generated_ids::*;
pub(crate) use hooks::*;
pub(crate) use service_file::*;
pub(crate) use shape::*;
pub(crate) use triggers::*;
pub(crate) use version_alarms::*;
