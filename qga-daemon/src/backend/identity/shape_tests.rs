//! Our read-only replies against qemu-ga 7.2's on this machine: the same
//! member names and JSON types. Skipped, with the reason printed, when
//! `/usr/sbin/qemu-ga` is not installed.
//!
//! `guest-get-load` is new in 10.0 and absent from 7.2: its reply is
//! compared with the one recorded from qemu-ga 10.0.2 instead. The time,
//! time zone, users and ssh-key replies of the neighbouring modules are
//! compared here too.

use qga_generated::qapi::IntoQapi;
use serde_json::{json, Value};

use super::oracle::{differences, shape, Agent};
use super::Identity;

/// Compares `ours` with qemu-ga's reply to `command` with `arguments`.
pub fn compare(command: &str, arguments: Value, ours: Value) {
    let Some(mut agent) = Agent::start() else {
        return;
    };
    let theirs = agent
        .call(command, arguments)
        .unwrap_or_else(|e| panic!("qemu-ga refused {command}: {e}"));
    let d = differences(&shape(&ours), &shape(&theirs), &[], &[]);
    assert!(
        d.is_empty(),
        "{command}: {d:?}\nours {ours}\nqemu-ga {theirs}"
    );
}

#[test]
fn host_name_shape() {
    let ours = Identity::new("/").host_name();
    let host = ours.host_name.clone();
    let value = ours.into_qapi();
    compare("guest-get-host-name", json!({}), value.clone());
    assert_eq!(value, json!({"host-name": host}));
}

#[test]
fn osinfo_shape() {
    let ours = Identity::new("/").osinfo().into_qapi();
    compare("guest-get-osinfo", json!({}), ours.clone());
    // The values too: both read the same kernel and os-release.
    if let Some(mut agent) = Agent::start() {
        assert_eq!(agent.call("guest-get-osinfo", json!({})).unwrap(), ours);
    }
}

#[test]
fn load_shape_as_recorded_from_10_0() {
    let recorded =
        json!({"load15m": 0.5224609375, "load5m": 0.20849609375, "load1m": 0.1201171875});
    let ours = Identity::new("/").load().unwrap().into_qapi();
    assert!(
        differences(&shape(&ours), &shape(&recorded), &[], &[]).is_empty(),
        "{ours}"
    );
}

#[test]
fn time_shape() {
    let ours = crate::backend::time::Time::system().get_time();
    compare("guest-get-time", json!({}), ours.into_qapi());
}

#[test]
fn timezone_shape() {
    let ours = crate::backend::time::Time::system().timezone().into_qapi();
    compare("guest-get-timezone", json!({}), ours.clone());
    // The values too: both look at the same zone at nearly the same time.
    if let Some(mut agent) = Agent::start() {
        assert_eq!(agent.call("guest-get-timezone", json!({})).unwrap(), ours);
    }
}

#[test]
fn users_shape() {
    let ours = crate::backend::users::Users::system().users().into_qapi();
    compare("guest-get-users", json!({}), ours.clone());
    // This machine has the same utmp for both; login times are doubles.
    let synthetic = vec![qga_generated::GuestUser {
        user: "u".into(),
        login_time: 1.5,
        domain: None,
    }]
    .into_qapi();
    assert_eq!(synthetic, json!([{"user": "u", "login-time": 1.5}]));
}

#[test]
fn ssh_get_root_as_qemu_ga() {
    let Some(mut agent) = Agent::start() else {
        return;
    };
    let args = json!({"username": "root"});
    let theirs = agent.call("guest-ssh-get-authorized-keys", args);
    let ours = crate::backend::ssh::Ssh::system().get("root");
    match (ours, theirs) {
        (Ok(o), Ok(t)) => {
            let o = o.into_qapi();
            assert!(differences(&shape(&o), &shape(&t), &[], &[]).is_empty());
            assert_eq!(o, t);
        }
        (Err(o), Err(t)) => assert_eq!(o.to_string(), t),
        (o, t) => panic!("ours {o:?}, qemu-ga {t:?}"),
    }
    let theirs = agent
        .call(
            "guest-ssh-get-authorized-keys",
            json!({"username": "qga-no-such-user"}),
        )
        .unwrap_err();
    let ours = crate::backend::ssh::Ssh::system()
        .get("qga-no-such-user")
        .unwrap_err()
        .to_string();
    assert_eq!(ours, "failed to lookup user 'qga-no-such-user'");
    assert!(theirs.starts_with(&ours), "{theirs}");
}
