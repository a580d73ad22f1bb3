//! Writes a plan as new migration and rollback files.
