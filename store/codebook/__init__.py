"""The codebook: typed models (model.py), the YAML parser with file:line:col errors (parser.py,
yaml_nodes.py), writing one back as YAML (yaml_dump.py), and its versions in a project
(versions.py, a part of Project: applying a codebook is what one project does)."""
