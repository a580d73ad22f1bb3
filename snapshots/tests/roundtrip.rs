//! One test per scenario folder under `scenarios/`; see
//! `trr_snapshots::roundtrip` for what each one checks. The tests run in
//! parallel: every scenario uses its own scratch databases.

use trr_snapshots::roundtrip::{run_scenario, scenario_names};

macro_rules! scenarios {
    ($($test:ident => $dir:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run_scenario($dir);
            }
        )*

        /// Every folder has a test above, and every test a folder.
        #[test]
        fn every_scenario_folder_has_a_test() {
            let listed: Vec<&str> = vec![$($dir),*];
            assert_eq!(listed, scenario_names(), "add the new scenario folder to the list in tests/roundtrip.rs");
        }
    };
}

scenarios! {
    s01_create_schema => "01-create-schema",
    s02_drop_schema => "02-drop-schema",
    s03_extension_with_schema => "03-extension-with-schema",
    s04_extension_drop => "04-extension-drop",
    s05_enum_create => "05-enum-create",
    s06_enum_add_value_end => "06-enum-add-value-end",
    s07_enum_add_value_middle => "07-enum-add-value-middle",
    s08_enum_drop => "08-enum-drop",
    s09_table_create => "09-table-create",
    s10_table_drop => "10-table-drop",
    s11_column_add => "11-column-add",
    s12_column_drop => "12-column-drop",
    s13_column_types => "13-column-types",
    s14_column_type_change => "14-column-type-change",
    s15_not_null_on_off => "15-not-null-on-off",
    s16_default_set_change_drop => "16-default-set-change-drop",
    s17_identity_create => "17-identity-create",
    s18_identity_add_drop => "18-identity-add-drop",
    s19_generated_stored => "19-generated-stored",
    s20_primary_key_add => "20-primary-key-add",
    s21_primary_key_drop => "21-primary-key-drop",
    s22_primary_key_change => "22-primary-key-change",
    s23_unique_add => "23-unique-add",
    s24_unique_drop => "24-unique-drop",
    s25_unique_change => "25-unique-change",
    s26_check_add => "26-check-add",
    s27_check_drop => "27-check-drop",
    s28_check_change => "28-check-change",
    s29_foreign_key_actions => "29-foreign-key-actions",
    s30_foreign_key_deferrable_match_full => "30-foreign-key-deferrable-match-full",
    s31_foreign_key_other_schema => "31-foreign-key-other-schema",
    s32_foreign_key_self => "32-foreign-key-self",
    s33_foreign_key_cycle => "33-foreign-key-cycle",
    s34_foreign_key_target_change => "34-foreign-key-target-change",
    s35_foreign_key_drop => "35-foreign-key-drop",
    s36_index_methods => "36-index-methods",
    s37_index_composite_order => "37-index-composite-order",
    s38_index_expression_partial => "38-index-expression-partial",
    s39_index_opclass => "39-index-opclass",
    s40_index_include_with => "40-index-include-with",
    s41_index_partial_unique_expression => "41-index-partial-unique-expression",
    s42_index_change => "42-index-change",
    s43_index_drop => "43-index-drop",
    s44_comments_add => "44-comments-add",
    s45_comments_change_drop => "45-comments-change-drop",
    s46_quoted_identifiers => "46-quoted-identifiers",
    s47_rename_via_drop_add => "47-rename-via-drop-add",
    s48_serial_column => "48-serial-column",
    s49_derived_name_collision => "49-derived-name-collision",
    s50_schema_move_table => "50-schema-move-table",
    s51_public_schema_table => "51-public-schema-table",
    s52_trr_core_from_scratch => "52-trr-core-from-scratch",
    s53_trr_core_evolve => "53-trr-core-evolve",
    s54_no_change => "54-no-change",
    s55_explicit_transaction_before => "55-explicit-transaction-before",
    s56_enum_add_value_used => "56-enum-add-value-used",
    s57_enum_remove_used_label => "57-enum-remove-used-label",
    s58_drop_with_dependents => "58-drop-with-dependents",
    s59_generated_change_keeps_comments => "59-generated-change-keeps-comments",
    s60_generated_to_plain => "60-generated-to-plain",
}
