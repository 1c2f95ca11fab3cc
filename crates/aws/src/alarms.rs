//! The state of alarms by name: DescribeAlarms takes up to 100 names a call, and every call
//! is sent, a few at a time (`bounded`).

use std::collections::{BTreeSet, HashMap};

use aws_sdk_cloudwatch::types::{AlarmType, StateValue};
use aws_sdk_cloudwatch::Client;

use super::bounded::{self, InFlight};
use super::failure::{partition, Call, Failure};

const CALL: Call = Call {
    service: "CloudWatch",
    action: "cloudwatch:DescribeAlarms",
};

/// DescribeAlarms' limit on `AlarmNames`, and on the alarms one page returns.
const NAMES_PER_CALL: usize = 100;
/// A call for 100 names answers in one page; the bound only guards against an endpoint that
/// never stops paging.
const MAX_PAGES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AlarmState {
    Missing,
    /// In state ALARM: CodeDeploy stops a deployment (or refuses to start one) while it is.
    InAlarm,
    Ok,
    InsufficientData,
}

impl AlarmState {
    /// As CloudWatch spells it, and `MISSING` for an alarm it does not have.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "MISSING",
            Self::InAlarm => "ALARM",
            Self::Ok => "OK",
            Self::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}

/// The state of every name whose call was answered; names of a failed call are left out, so
/// an outage never reads as "alarm missing".
pub(crate) async fn states(
    client: &Client,
    limit: &InFlight,
    names: &BTreeSet<&str>,
) -> (HashMap<String, AlarmState>, Vec<Failure>) {
    let names: Vec<&str> = names.iter().copied().collect();
    let calls = names
        .chunks(NAMES_PER_CALL)
        .map(|batch| describe(client, batch));
    let (answered, failures) = partition(bounded::all(limit, calls.collect()).await);
    (answered.into_iter().flatten().collect(), failures)
}

async fn describe(client: &Client, batch: &[&str]) -> Result<HashMap<String, AlarmState>, Failure> {
    let mut states: HashMap<String, AlarmState> = batch
        .iter()
        .map(|name| (name.to_string(), AlarmState::Missing))
        .collect();
    let mut next_token = None;
    for _ in 0..MAX_PAGES {
        let page = client
            .describe_alarms()
            .set_alarm_names(Some(batch.iter().map(|name| name.to_string()).collect()))
            // Without AlarmTypes only metric alarms are returned; CodeDeploy takes both.
            .alarm_types(AlarmType::MetricAlarm)
            .alarm_types(AlarmType::CompositeAlarm)
            .max_records(NAMES_PER_CALL as i32)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|error| Failure::of(CALL, &error))?;
        let metric = page
            .metric_alarms()
            .iter()
            .map(|alarm| (alarm.alarm_name(), alarm.state_value()));
        let composite = page
            .composite_alarms()
            .iter()
            .map(|alarm| (alarm.alarm_name(), alarm.state_value()));
        for (name, state) in metric.chain(composite) {
            if let Some(entry) = name.and_then(|name| states.get_mut(name)) {
                *entry = match state {
                    Some(StateValue::Alarm) => AlarmState::InAlarm,
                    Some(StateValue::Ok) => AlarmState::Ok,
                    _ => AlarmState::InsufficientData,
                };
            }
        }
        next_token = page.next_token().map(str::to_owned);
        if next_token.is_none() {
            break;
        }
    }
    Ok(states)
}
