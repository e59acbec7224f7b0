"""The partial indexes keep their PostgreSQL where-clause without loading PostgreSQL's dialect on SQLite."""

import subprocess
import sys

from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex

from fpdesk.storage.schema import Base, attach_postgresql_where


def test_mapping_the_tables_does_not_load_the_postgresql_dialect():
    probe = ("import sys, fpdesk.storage.schema, fpdesk.storage.database; "
             "print('sqlalchemy.dialects.postgresql' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"


def test_each_partial_index_is_partial_on_postgresql_as_on_sqlite():
    attach_postgresql_where()
    partial = {index.name: CreateIndex(index).compile(dialect=postgresql.dialect()).string
               for table in Base.metadata.tables.values() for index in table.indexes
               if index.dialect_options["sqlite"]["where"] is not None}
    assert set(partial) >= {"ux_person_id_number_living", "ux_enrollment_active_household_product_year"}
    assert "WHERE status != 'deceased'" in partial["ux_person_id_number_living"]
    assert "WHERE status IN (" in partial["ux_enrollment_active_household_product_year"]
