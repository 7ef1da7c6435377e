"Every notebook becomes a page of the offline docs site."
import subprocess, sys
from pathlib import Path
from conftest import ROOT

def test_every_notebook_has_a_page():
    site = ROOT / '_site'
    if not (site / 'index.html').exists():
        subprocess.run([sys.executable, str(ROOT / 'tools' / 'docs.py')], check=True, cwd=ROOT)
    nbs = [p for p in (ROOT / 'nbs').rglob('*.ipynb') if not p.name.startswith('_') and '.ipynb_checkpoints' not in str(p)]
    assert nbs
    missing = [str(p) for p in nbs if not (site / p.relative_to(ROOT / 'nbs')).with_suffix('.html').exists()]
    assert not missing, f"notebooks with no page: {missing}"
    import re, html
    home = html.unescape(re.sub(r'<[^>]+>', '', (site / 'index.html').read_text()))   # the page's text
    for cmd in ('bash tools/setup.sh', 'pianoscore demo', 'bash .ci/run'): assert cmd in home, cmd
