//! Running backfills against a live database: the data copies of a
//! rollout's backfill phase ([`Backfill`](crate::plan::Backfill) specs),
//! batch by batch, with progress, stoppable and resumable.
//!
//! The backfill migration file runs the same loop inside PostgreSQL (a DO
//! block); `trr-schema backfill` runs it from here instead, so a person can
//! watch it, stop it and start it again. Both are idempotent through the
//! spec's `pending` condition: a row already copied is not pending, so a
//! second run, or the file after the command, finds nothing left to do.
//!
//! - [`discover`]: the specs written into migration files.
//! - [`run`](mod@run): the keyset-batched loop.

pub mod discover;
pub mod run;

pub use discover::{BadSpec, Found, PREFIX, spec_line, specs, specs_in};
pub use run::{BackfillError, Outcome, Progress, run};
