"Pairs tooling: all pairs, labels from skill, annotation on stdin with transitivity, grouped folds, PSA import."
import sys, subprocess
from pathlib import Path
import numpy as np, pandas as pd, pytest
from pianoscore.pairs import make_pairs, read_pairs, read_recordings, suggest_labels, Order, split_pairs, import_psa, pair_label
from conftest import run_cli

def recordings(n=12, players=4, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(dict(id=[f'r{i:02d}' for i in range(n)], path=[f'wav/r{i:02d}.wav' for i in range(n)],
                             skill=rng.random(n).round(3), player=[f'p{i % players}' for i in range(n)],
                             piece=[f'x{i % 3}' for i in range(n)], source=[f's{i // 2}' for i in range(n)]))

@pytest.mark.parametrize('n', [2, 5, 12])
def test_all_pairs(n):
    p = make_pairs(recordings(n))
    assert len(p) == n * (n - 1) // 2 and not p.duplicated(['a', 'b']).any()
    assert set(map(frozenset, zip(p.a, p.b))) == {frozenset((a, b)) for i, a in enumerate(recordings(n).id) for b in recordings(n).id[i + 1:]}

def test_labels_from_skill_with_margin():
    assert (pair_label(0.5, 0.3, 0.05), pair_label(0.3, 0.5, 0.05), pair_label(0.5, 0.54, 0.05), pair_label(3, 3)) == (1, -1, 0, 0)
    r = recordings(); p = make_pairs(r, margin=0.1)
    s = r.set_index('id').skill
    d = np.round(s[p.a].values - s[p.b].values, 6)
    assert (p.label == np.where(d > 0.1, 1, np.where(d < -0.1, -1, 0))).all()
    w = make_pairs(r, within='piece'); assert len(w) == 3 * (4 * 3 // 2)
    u = make_pairs(r.drop(columns='skill')); assert u.label.isna().all()

def test_recordings_paths_resolve_against_csv(tmp_path):
    recordings().to_csv(tmp_path / 'rec.csv', index=False)
    r = read_recordings(tmp_path / 'rec.csv'); assert r.path[0] == str(tmp_path / 'wav/r00.wav')
    pd.DataFrame(dict(id=['a', 'a'], path=['x', 'y'])).to_csv(tmp_path / 'dup.csv', index=False)
    with pytest.raises(ValueError, match='repeats'): read_recordings(tmp_path / 'dup.csv')
    pd.DataFrame(dict(name=['a'])).to_csv(tmp_path / 'bad.csv', index=False)
    with pytest.raises(ValueError, match='id'): read_recordings(tmp_path / 'bad.csv')

def test_transitivity():
    o = Order()
    o.add('a', 'b', 1); o.add('b', 'c', 1); o.add('d', 'c', 0); o.add('e', 'a', 1)
    assert o.implied('a', 'c') == 1 and o.implied('c', 'a') == -1 and o.implied('d', 'a') == -1
    assert o.implied('e', 'd') == 1 and o.implied('c', 'd') == 0 and o.implied('a', 'x') is None
    o.add('c', 'a', 1)   # a contradiction makes a cycle: nothing is implied between them any more
    assert o.implied('a', 'c') is None
    p = pd.DataFrame(dict(a=['a', 'b', 'a'], b=['b', 'c', 'c'], label=[1, 1, None]))
    assert suggest_labels(p).tolist()[2] == 1

def _annotate(pairs, text, *extra):
    return subprocess.run([sys.executable, '-m', 'pianoscore.cli', 'annotate', str(pairs), *extra], input=text,
                          capture_output=True, text=True, timeout=120)

def test_annotate_subprocess(tmp_path):
    r = recordings(4).drop(columns='skill'); r.to_csv(tmp_path / 'rec.csv', index=False)
    run_cli('make-pairs', tmp_path / 'rec.csv')          # pairs.csv beside it, unlabelled
    f = tmp_path / 'pairs.csv'
    assert read_pairs(f).label.isna().sum() == 6
    res = _annotate(f, '1\n0\nq\n', '--recordings', tmp_path / 'rec.csv')   # r00 > r01, r00 = r02, quit
    assert res.returncode == 0, res.stderr
    assert 'wav/r00.wav' in res.stdout and 'remaining: 4' in res.stdout
    p = read_pairs(f); assert p.label.tolist()[:2] == [1, 0] and p.label.isna().sum() == 4
    # resume: r00-r03 asked next; then r01-r02 is implied (r02 = r00 > r01): Enter accepts the suggestion
    res = _annotate(f, '-1\n\n', '--json')
    assert res.returncode == 0, res.stderr
    assert 'Enter: -1' in res.stderr
    p = read_pairs(f); assert p.set_index(['a', 'b']).label[('r01', 'r02')] == -1
    assert p.set_index(['a', 'b']).label[('r00', 'r03')] == -1
    # bad answers are asked again; end of input saves
    res = _annotate(f, 'maybe\ns\n'); assert res.returncode == 0 and 'please answer' in res.stdout
    # auto fills what follows: r03 > r00 = r02 > r01, so all of r01-r03, r02-r03 are implied
    res = _annotate(f, '', '--auto', '--json'); assert res.returncode == 0
    p = read_pairs(f); assert p.label.notna().all() and (p.by == 'implied').sum() == 2

@pytest.mark.parametrize('group', ['player', 'piece', 'source'])
def test_folds_grouped(group):
    r = recordings(24, players=6); p = make_pairs(r)
    folds = split_pairs(p, r, k=3, group=group, val_frac=0.2)
    g = r.set_index('id')[group]
    tests = set()
    for fd in folds:
        used = {s: set(g[fd[s].a]) | set(g[fd[s].b]) for s in ('train', 'val', 'test')}
        assert used['test'] and used['train'] and used['val']
        assert not used['test'] & used['train'] and not used['test'] & used['val'] and not used['train'] & used['val']
        assert set(fd['groups']['test']) == used['test'] or used['test'] <= set(fd['groups']['test'])
        assert len(fd['train']) + len(fd['val']) + len(fd['test']) + fd['dropped'] == len(p)
        tests |= set(fd['groups']['test'])
    assert tests == set(g)                     # every group is tested once
    with pytest.raises(ValueError, match='groups'): split_pairs(p, r.assign(player='one'), k=3)
    with pytest.raises(ValueError, match='singer'): split_pairs(p, r, group='singer')

def test_split_pairs_cli(tmp_path):
    r = recordings(24, players=6); r.to_csv(tmp_path / 'rec.csv', index=False)
    run_cli('make-pairs', tmp_path / 'rec.csv', '-o', tmp_path / 'pairs.csv')
    res = run_cli('split-pairs', tmp_path / 'pairs.csv', tmp_path / 'rec.csv', '--group', 'player', '--json')
    for f in range(3):
        for s in ('train', 'val', 'test'): assert (tmp_path / 'folds' / f'fold{f}' / f'{s}.csv').exists()
    assert len(res.json['sizes']) == 3
    res = run_cli('split-pairs', tmp_path / 'pairs.csv', tmp_path / 'missing.csv', check=False)
    assert res.returncode == 1 and 'missing.csv' in res.stderr

def test_import_psa(tmp_path):
    lv = [10, 7, 7, 3, 1]
    pd.DataFrame({'Sample No': range(1, 6), 'Player Level': lv, 'Song Level': [9, 5, 6, 2, 1],
                  'YouTube Link': [f'https://youtu.be/v{i}' for i in range(5)]}).to_csv(tmp_path / 'psa.csv', index=False)
    (tmp_path / 'media').mkdir(); (tmp_path / 'media' / '2.wav').write_bytes(b'RIFF')
    recs, prs = import_psa(tmp_path / 'psa.csv', tmp_path / 'media')
    assert len(recs) == 5 and len(prs) == 10 and recs.path[1].endswith('2.wav') and recs.path[0] == ''
    lvl = dict(zip(recs.id, lv))
    assert all(l == np.sign(lvl[a] - lvl[b]) for a, b, l in zip(prs.a, prs.b, prs.label))
    res = run_cli('import-psa', tmp_path / 'psa.csv', '-o', tmp_path / 'out', '--json')
    assert res.json['n_pairs'] == 10 and (tmp_path / 'out' / 'pairs.csv').exists()
    pd.DataFrame({'Sample No': [1], 'Player Level': [14]}).to_csv(tmp_path / 'bad.csv', index=False)
    with pytest.raises(ValueError, match='1-10'): import_psa(tmp_path / 'bad.csv')
