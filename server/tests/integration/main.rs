//! Integration tests: the real router on 127.0.0.1:0 against a fresh SQLite file per test.
//! One test binary (this file and its modules).

mod support;

mod accounts;
mod admin;
mod auth;
mod compliance;
mod compliance_pages;
mod consent;
mod contacts;
mod database;
mod deviations;
mod directory;
mod directory_admin;
mod faults;
mod findings;
mod forms;
mod hardening;
mod http_surface;
mod inbox;
mod internal_control;
mod matrix;
mod notifications;
mod plans;
mod preferences;
mod routines;
mod second_factor;
mod sessions;
mod smtp;
mod stats;
