"""Names vulture (`make lint`: dead code) cannot see used, so it does not report them.

Never imported or run: vulture reads the names. `_.name` marks an attribute, method, function or
argument name as used. Add a name here only when grep shows it is used in a way vulture cannot
follow (a string naming it, a framework calling it, a signature it must keep); dead code is removed.
"""

_ = None

# Called by name: "module:function" strings (ingest/readers/__init__.py READERS, generator/render/__init__.py)
# and bench steps run as getattr(bench.measure, step) in a worker (bench/worker.py, bench/__main__.py STEPS).
_.read_docx
_.read_xlsx
_.read_xls
_.render_docx
_.render_pdf
_.render_xlsx
_.render_xls
_.pdf_peers
_.cold_load
_.incremental

# Dispatched by section: getattr(self, f"on_{section}") (ingest/recognize/narrative.py).
_.on_overview
_.on_income
_.on_expenditure
_.on_appropriation
_.on_general_budget
_.on_basic
_.on_project
_.on_three_public
_.on_gov_fund
_.on_operating_cost
_.on_procurement
_.on_assets
_.on_performance

# Registered by the @rule decorator into RULES (ingest/validate/rules.py).
_.narrative_share
_.target_names
_.tables_missing
_.unit_variants

# Overrides a framework calls: dagster-dbt's translator and DbtCliResource (orchestration/defs/).
_.get_group_name
_._initialize_dbt_core_adapter

# Signatures that must keep their arguments: pdfium's FPDF_SYSFONTINFO callbacks
# (ingest/readers/pdfium_fonts.py) and a context manager's __exit__ (ingest/lake.py).
_.this
_.weight
_.italic
_.pitch_family
_.face
_.tb

# Attributes set on library objects that the library reads: fontTools tables (pdfium_fonts.build_font),
# openpyxl/xlwt cell styles (generator/render/xlsx.py, tests/test_readers_office.py).
_.language
_.platEncID
_.platformID
_.created
_.modified
_.alignment
_.num_format_str

# Read by pytest.
_.pytestmark
_.pytest_collection_modifyitems  # a pytest hook (tests/conftest.py: slow tests first)
_.pytest_itemcollected  # a pytest hook (tests/conftest.py: xdist groups)
_._nodeid  # read by pytest-xdist (tests/test_parallel_groups.py sets it as xdist does)

# Dataclass fields written into the generated ground truth JSON (generator/truth.py, dataclasses.asdict;
# generator/final_accounts.py on main, read back as data["disclosure_kind"]).
_.archetype
_.true_value
_.synthetic
_.disclosure_kind
