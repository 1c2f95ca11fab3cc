//! `sls canary:alarm` against moto: alarms by name and through the stack are set; what is
//! missing or not deployed yet is named.

use aws_sdk_cloudwatch::types::StateValue;

use crate::alarm_state::{set_alarm_state_with, AlarmStateRequest};
use crate::request::{AlarmCheck, PreflightRequest};
use crate::test_support::{
    closed_port_endpoint, create_stack, loader_for, put_alarm, setup_config, Moto, REGION,
};

fn alarm(path: &str, name: Option<&str>, logical_id: Option<&str>) -> AlarmCheck {
    AlarmCheck {
        path: path.into(),
        name: name.map(Into::into),
        logical_id: logical_id.map(Into::into),
    }
}

fn request(alarms: Vec<AlarmCheck>, state: &str) -> AlarmStateRequest {
    AlarmStateRequest {
        targets: PreflightRequest {
            region: Some(REGION.into()),
            stack_name: "svc-dev".into(),
            alarms,
            ..PreflightRequest::default()
        },
        state: state.into(),
        reason: Some("rehearsal".into()),
    }
}

#[tokio::test]
async fn sets_alarms_by_name_and_through_the_stack_and_names_the_rest() {
    let moto = Moto::start();
    let config = setup_config(&moto.endpoint).await;
    put_alarm(&config, "shared-errors", false).await;
    put_alarm(&config, "svc-dev-HelloErrors-1A2B", false).await;
    create_stack(
        &config,
        "svc-dev",
        &[("HelloErrors", "svc-dev-HelloErrors-1A2B")],
    )
    .await;

    let alarms = vec![
        alarm(
            "functions.hello.deploymentSettings.alarms[0]",
            Some("shared-errors"),
            None,
        ),
        alarm(
            "functions.hello.deploymentSettings.alarms[1]",
            None,
            Some("HelloErrors"),
        ),
        alarm(
            "functions.hello.deploymentSettings.alarms[2]",
            None,
            Some("HelloLatency"),
        ),
        alarm(
            "functions.other.deploymentSettings.alarms[0]",
            Some("no-such-alarm"),
            None,
        ),
    ];
    let report = set_alarm_state_with(&request(alarms, "ALARM"), loader_for(&moto.endpoint)).await;
    let set: Vec<&str> = report.set.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        set,
        ["shared-errors", "svc-dev-HelloErrors-1A2B"],
        "{report:#?}"
    );
    let problems: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.path))
        .collect();
    assert_eq!(
        problems,
        [
            "alarm-not-deployed functions.hello.deploymentSettings.alarms[2]",
            "alarm-not-found functions.other.deploymentSettings.alarms[0]",
        ]
    );

    let described = aws_sdk_cloudwatch::Client::new(&config)
        .describe_alarms()
        .alarm_names("shared-errors")
        .alarm_names("svc-dev-HelloErrors-1A2B")
        .send()
        .await
        .expect("DescribeAlarms");
    let states: Vec<_> = described
        .metric_alarms()
        .iter()
        .map(|a| a.state_value().cloned())
        .collect();
    assert_eq!(states, [Some(StateValue::Alarm), Some(StateValue::Alarm)]);
}

#[tokio::test]
async fn an_unknown_state_is_refused_before_asking_aws() {
    let alarms = vec![alarm(
        "functions.hello.deploymentSettings.alarms[0]",
        Some("a"),
        None,
    )];
    let report = set_alarm_state_with(
        &request(alarms, "BROKEN"),
        loader_for(&closed_port_endpoint()),
    )
    .await;
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["unknown-alarm-state"]);
    assert!(report.set.is_empty());
}
