//! Server functions: public HTTP endpoints under `/api/`, each with a stable name. Each one gets
//! the state, authorizes (from the access issue on), parses its input, calls one service
//! function and maps the error. Nothing else.

pub mod account;
pub mod accounts;
pub mod audit;
pub mod compliance;
pub mod contacts;
pub mod deviations;
pub mod directory;
pub mod directory_admin;
pub mod findings;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod internal_control;
pub mod notify;
pub mod plans;
pub mod routines;
pub mod second_factor;
pub mod stats;
pub mod tasks;

/// Every server function's endpoint, as served under `/api/`. The router test checks that this
/// list and the registered server functions agree, so that a new one cannot slip in unlisted.
pub const ENDPOINTS: &[&str] = &[
    directory::LIST_DISTRICTS,
    directory::GET_DISTRICT,
    contacts::ADD_CONTACT,
    contacts::REMOVE_CONTACT,
    contacts::UPDATE_CONTACT,
    directory_admin::CREATE_DISTRICT,
    directory_admin::RENAME_DISTRICT,
    internal_control::CONTROL_MATRIX,
    internal_control::DISTRICT_CONTROL,
    internal_control::OWN_DISTRICT,
    internal_control::SAVE_CONTROL_DOCUMENT,
    internal_control::ADD_CONTROL_DOCUMENT,
    findings::DISTRICT_FINDINGS,
    findings::RECORD_FINDING,
    findings::ADD_FINDING_STEP,
    findings::SET_FINDING_STEP,
    findings::CLOSE_FINDING,
    findings::UNIT_FINDING_STEPS,
    findings::OPEN_FINDINGS,
    directory_admin::CREATE_SERVICE,
    directory_admin::UPDATE_SERVICE,
    accounts::CHANGE_PASSWORD,
    accounts::LIST_USERS,
    accounts::GET_USER,
    accounts::CREATE_USER,
    accounts::UPDATE_USER,
    accounts::RESET_PASSWORD,
    accounts::RESET_SECOND_FACTOR,
    audit::READ_ACCESS_LOG,
    second_factor::SECOND_FACTOR_SETUP,
    second_factor::ENROL_SECOND_FACTOR,
    plans::LIST_PLANS,
    plans::GET_PLAN,
    plans::CREATE_PLAN,
    plans::INTAKE_DUPLICATES,
    plans::UPDATE_PLAN,
    plans::ADD_CHILD,
    plans::RECORD_CONCERN,
    plans::RECORD_CONSENT,
    plans::PLAN_INSIGHT,
    plans::CORRECT_PERSON,
    plans::PLAN_EXIT_MEETING,
    plans::RECORD_EXIT_MEETING,
    plans::MOVE_OUT,
    plans::LINK_STAY,
    plans::UNLINK_STAY,
    tasks::LIST_TASKS,
    tasks::READ_INBOX,
    tasks::INBOX_COUNTS,
    tasks::GET_TASK,
    tasks::UPDATE_TASK,
    tasks::EXTEND_TASK,
    tasks::RECORD_RECEIPT,
    tasks::DISTRICT_BOARD,
    stats::STATISTICS,
    stats::IMPORT_INFO,
    routines::GET_ROUTINE,
    routines::PUBLISH_ROUTINE,
    notify::READ_OUTBOX,
    notify::RETRY_OUTBOX,
    notify::PAUSE_UNIT,
    notify::RESUME_UNIT,
    account::ACCOUNT,
    account::SAVE_NOTIFY_CHOICES,
    account::MAKE_CALENDAR_FEED,
    account::END_CALENDAR_FEED,
    compliance::COMPLIANCE,
    compliance::DISTRICT_COMPLIANCE,
    deviations::LIST_DEVIATIONS,
    deviations::GET_DEVIATION,
    deviations::OPEN_DEVIATION,
    deviations::UPDATE_DEVIATION,
];
