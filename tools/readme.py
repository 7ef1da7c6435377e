"""Write README.md from nbs/index.ipynb (markdown cells as they are, code cells as python blocks with their text
output), so the two stay in step without Quarto. `--check` exits 1 if README.md is out of date."""
import json, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]

def render(nb_path=ROOT / 'nbs' / 'index.ipynb') -> str:
    nb = json.loads(Path(nb_path).read_text()); parts = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown':
            parts.append(src.replace('\n> ', '\n').removeprefix('> ') if src.startswith('> ') else src)
        elif c['cell_type'] == 'code' and not src.lstrip().startswith('#| hide'):
            parts.append(f"```python\n{src}\n```")
            for o in c.get('outputs', []):
                t = o.get('text') or o.get('data', {}).get('text/plain')
                if t: parts.append("```\n" + ''.join(t).rstrip() + "\n```")
    return "<!-- written from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file -->\n\n" + "\n\n".join(parts) + "\n"

if __name__ == '__main__':
    text = render()
    if '--check' in sys.argv:
        ok = (ROOT / 'README.md').read_text() == text
        print('README.md is in step with nbs/index.ipynb' if ok else 'README.md is out of date: run python tools/readme.py')
        sys.exit(0 if ok else 1)
    (ROOT / 'README.md').write_text(text); print('wrote README.md')
