"""The schema of a new project file, as the migrations of store/migrations.py leave it.

Written by `python -m store.migrations > store/schema_sql.py`; tests/store/test_schema.py checks
that a file made from these statements and a file made by running every migration have the
same `sqlite_master`. A new file is made from them without sqlite-utils (start-up of `init`).
"""

NEW_FILE_SQL = (
    (
        'CREATE TABLE "_sqlite_migrations" (\n'
        '   "id" INTEGER PRIMARY KEY,\n'
        '   "migration_set" TEXT,\n'
        '   "name" TEXT,\n'
        '   "applied_at" TEXT\n'
        ')'
    ),
    (
        'CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"\n'
        '    ON "_sqlite_migrations" ("migration_set", "name")'
    ),
    (
        'CREATE TABLE "meta" (\n'
        '   "key" TEXT PRIMARY KEY,\n'
        '   "value" TEXT\n'
        ')'
    ),
    (
        'CREATE TABLE "codebooks" (\n'
        '   "sha256" TEXT PRIMARY KEY,\n'
        '   "yaml" TEXT,\n'
        '   "loaded_at" TEXT\n'
        ')'
    ),
    (
        'CREATE TABLE "codes" (\n'
        '   "id" TEXT PRIMARY KEY,\n'
        '   "parent_id" TEXT,\n'
        '   "label" TEXT NOT NULL,\n'
        '   "kind" TEXT NOT NULL,\n'
        '   "key" TEXT,\n'
        '   "definition" TEXT,\n'
        '   "position" INTEGER NOT NULL,\n'
        '   "retired" INTEGER NOT NULL DEFAULT 0\n'
        ')'
    ),
    (
        'CREATE TABLE "code_levels" (\n'
        '   "code_id" TEXT REFERENCES "codes"("id"),\n'
        '   "value" TEXT,\n'
        '   "label" TEXT,\n'
        '   "position" INTEGER,\n'
        '   PRIMARY KEY ("code_id", "value")\n'
        ')'
    ),
    (
        'CREATE TABLE "documents" (\n'
        '   "id" TEXT PRIMARY KEY,\n'
        '   "title" TEXT,\n'
        '   "source" TEXT,\n'
        '   "speaker" TEXT,\n'
        '   "country" TEXT,\n'
        '   "date" TEXT,\n'
        '   "meta" TEXT,\n'
        '   "sha256" TEXT NOT NULL,\n'
        '   "position" INTEGER NOT NULL\n'
        ')'
    ),
    (
        'CREATE UNIQUE INDEX "idx_documents_position"\n'
        '    ON "documents" ("position")'
    ),
    (
        'CREATE TABLE "paragraphs" (\n'
        '   "id" TEXT PRIMARY KEY,\n'
        '   "document_id" TEXT NOT NULL REFERENCES "documents"("id"),\n'
        '   "position" INTEGER NOT NULL,\n'
        '   "seq" INTEGER NOT NULL,\n'
        '   "text" TEXT NOT NULL,\n'
        '   "sha256" TEXT NOT NULL\n'
        ')'
    ),
    (
        'CREATE UNIQUE INDEX "idx_paragraphs_document_id_position"\n'
        '    ON "paragraphs" ("document_id", "position")'
    ),
    (
        'CREATE UNIQUE INDEX "idx_paragraphs_seq"\n'
        '    ON "paragraphs" ("seq")'
    ),
    (
        'CREATE VIRTUAL TABLE "paragraphs_fts" USING FTS5 (\n'
        '    "text",\n'
        "    tokenize='unicode61 remove_diacritics 2',\n"
        '    content="paragraphs"\n'
        ')'
    ),
    (
        'CREATE TRIGGER "paragraphs_ai" AFTER INSERT ON "paragraphs" BEGIN\n'
        '  INSERT INTO "paragraphs_fts" (rowid, "text") VALUES (new.rowid, new."text");\n'
        'END'
    ),
    (
        'CREATE TRIGGER "paragraphs_ad" AFTER DELETE ON "paragraphs" BEGIN\n'
        '  INSERT INTO "paragraphs_fts" ("paragraphs_fts", rowid, "text") VALUES(\'delete\', old.rowid, old."text");\n'
        'END'
    ),
    (
        'CREATE TRIGGER "paragraphs_au" AFTER UPDATE ON "paragraphs" BEGIN\n'
        '  INSERT INTO "paragraphs_fts" ("paragraphs_fts", rowid, "text") VALUES(\'delete\', old.rowid, old."text");\n'
        '  INSERT INTO "paragraphs_fts" (rowid, "text") VALUES (new.rowid, new."text");\n'
        'END'
    ),
    (
        'CREATE TABLE "coders" (\n'
        '   "id" TEXT PRIMARY KEY,\n'
        '   "name" TEXT NOT NULL,\n'
        '   "created_at" TEXT,\n'
        '   "last_paragraph_id" TEXT\n'
        ')'
    ),
    (
        'CREATE TABLE "paragraph_status" (\n'
        '   "paragraph_id" TEXT REFERENCES "paragraphs"("id"),\n'
        '   "coder_id" TEXT REFERENCES "coders"("id"),\n'
        '   "status" TEXT,\n'
        '   "flagged" INTEGER NOT NULL DEFAULT 0,\n'
        '   "note" TEXT,\n'
        '   "updated_at" TEXT NOT NULL,\n'
        '   PRIMARY KEY ("paragraph_id", "coder_id")\n'
        ')'
    ),
    (
        'CREATE TABLE codings (\n'
        '            paragraph_id TEXT NOT NULL REFERENCES paragraphs(id),\n'
        '            coder_id TEXT NOT NULL REFERENCES coders(id),\n'
        '            code_id TEXT NOT NULL REFERENCES codes(id),\n'
        '            value,\n'
        '            updated_at TEXT NOT NULL,\n'
        '            PRIMARY KEY (paragraph_id, coder_id, code_id)\n'
        '        )'
    ),
    (
        'CREATE TABLE events (\n'
        '            id TEXT PRIMARY KEY,\n'
        '            at TEXT NOT NULL,\n'
        '            coder_id TEXT NOT NULL,\n'
        '            paragraph_id TEXT,\n'
        '            code_id TEXT,\n'
        '            action TEXT NOT NULL,\n'
        '            value,\n'
        '            previous,\n'
        '            undoes TEXT\n'
        '        , suggested integer)'
    ),
    (
        'CREATE INDEX "idx_events_coder_id_at"\n'
        '    ON "events" ("coder_id", "at")'
    ),
    (
        'CREATE TABLE "assignments" (\n'
        '   "paragraph_id" TEXT REFERENCES "paragraphs"("id"),\n'
        '   "coder_id" TEXT REFERENCES "coders"("id"),\n'
        '   PRIMARY KEY ("paragraph_id", "coder_id")\n'
        ')'
    ),
    (
        'CREATE INDEX "idx_paragraph_status_coder_id_status_paragraph_id"\n'
        '    ON "paragraph_status" ("coder_id", "status", "paragraph_id")'
    ),
    (
        'CREATE INDEX "idx_codings_coder_id_code_id_value_paragraph_id"\n'
        '    ON "codings" ("coder_id", "code_id", "value", "paragraph_id")'
    ),
    (
        'CREATE INDEX idx_events_undoes on events (undoes) where undoes is not null'
    ),
    (
        'CREATE TABLE models (\n'
        '            code_id TEXT PRIMARY KEY,\n'
        '            codebook_sha256 TEXT NOT NULL,\n'
        '            basis TEXT NOT NULL,\n'
        '            trained_on INTEGER NOT NULL,\n'
        '            trained_at TEXT NOT NULL,\n'
        '            arrays BLOB NOT NULL,\n'
        '            report TEXT NOT NULL\n'
        '        )'
    ),
)
"""CREATE statements of every table, index, trigger and full-text table, in order."""

MIGRATIONS = ('m001_initial', 'm002_agreement_indexes', 'm003_fewer_indexes_to_write', 'm004_suggestions')
"""The migrations these statements stand for, recorded as applied in a new file."""
