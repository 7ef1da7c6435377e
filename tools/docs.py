"""Build the docs site offline: nbdev's notebook processing (as `nbdev_proc_nbs` does, without its Quarto install
step), then `smalldocs render` of the processed project into `_proc/_site` (then copied to `_site`).
Where Quarto exists, `nbdev_docs` builds the same project (see .github/workflows/deploy.yaml)."""
import shutil, subprocess, sys, os
from pathlib import Path

def main(n_workers: int = 0):
    from nbdev.config import get_config
    from nbdev.quarto import proc_nbs, refresh_quarto_yml, nbdev_sidebar
    import nbdev.doclinks
    cfg = get_config(); root = cfg.config_path
    os.chdir(root)
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    nbdev_sidebar.__wrapped__(path=cfg.nbs_path)
    shutil.rmtree(root / '_proc', ignore_errors=True)
    proc_nbs(cfg.nbs_path, n_workers=n_workers)
    r = subprocess.run([str(Path(sys.executable).with_name('smalldocs')), 'render', '--quiet', str(root / '_proc')])
    if r.returncode: sys.exit(r.returncode)
    site = root / '_proc' / '_site'
    if not site.exists(): sys.exit(f"docs: smalldocs wrote no site in {site}")
    shutil.rmtree(root / '_site', ignore_errors=True); shutil.copytree(site, root / '_site')
    pages = sorted(p.relative_to(root / '_site') for p in (root / '_site').rglob('*.html'))
    print(f"docs: {len(pages)} pages in _site/")

if __name__ == '__main__': main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
