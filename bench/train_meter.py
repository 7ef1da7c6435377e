"""Train the learned meter chooser (`pianoscore.score.meter_model`) on corpus pieces that no bench split uses.

Training pool (first 24 bars of each, played like the bench plays them: 20 ms jitter, tempo x0.9-1.1, a quarter of them
also with the tempo swinging +-10%): Bach's chorales and other pieces in `getComposer('bach')` except every 15th entry
(the DEV and HELD-OUT-1..6 chorales lie on those; HELD-OUT-6's on the 5th + 60k), the choraleAnalyses and BWV 846;
Beethoven's op. 132 and op. 133 (no other quartet of his is free); the Ryan's Mammoth tunes whose index is 0 (part 1)
or 1 (part 2) mod 3, except the 50th + 100k (HELD-OUT-5) and any whose title is a HELD-OUT-6 tune's; the tunes whose
index is 0 (part 1) or 5 (part 2) mod 10 of each Aird's Airs book, of the Nottingham reels and of each Essen folk song
file (the Bach and Beethoven pieces are played in both parts, with other seeds). No Mozart, Haydn, Schumann, Chopin, Joplin, C.P.E. Bach, Handel,
Schubert, Corelli, Weber, Verdi, Beach, Johnson, Liliuokalani (bench pieces), nor Monteverdi, trecento or O'Neill's
(HELD-OUT-6). Each performance is also used cut after its first 4 to 12 bars (users play short excerpts; a model
that only saw 24 bars read K.545's first 6 bars as 2/4). Validation: pieces whose group (a chorale, a tune, a song
file) hashes to 0 mod 5; the model is then trained again on everything and saved.

Run (one core, fixed seeds):
  OMP_NUM_THREADS=1 python bench/train_meter.py collect   # performances, beats and grid positions -> /tmp/meter_data.pkl
  OMP_NUM_THREADS=1 python bench/train_meter.py collect --part 2   # -> /tmp/meter_data2.pkl
  OMP_NUM_THREADS=1 python bench/train_meter.py fit       # features, model, validation -> pianoscore/weights/meter.pt
  OMP_NUM_THREADS=1 python bench/train_meter.py fit --duple   # experiment: 2/4, 4/4 and 2/2 as one label (validation only)
"""
import argparse, hashlib, pickle, re, sys, time, warnings
from fractions import Fraction
from pathlib import Path
import numpy as np, music21
sys.path.insert(0, str(Path(__file__).parent))
import bench_engrave as B
from pianoscore.score import _as_notes, _quantize, corpus_performance, track_beats, meter_features, fit_meter_model, MeterModel
import pretty_midi

rel = lambda p: str(p).split('corpus/')[-1].rsplit('.', 1)[0]

def _norm(t:str)->str: return re.sub(r'^the', '', re.sub(r'[^a-z]', '', t.lower()))

def _title(s): return _norm(s.metadata.title or '') if s.metadata else ''

def clash(t:str, titles:set)->bool:
    "Whether normalized title `t` names one of `titles` (one inside the other: 'tossthefeathersreel')."
    return bool(t) and any(h in t or t in h for h in titles if len(h) >= 5)

def bench_pieces()->set:
    "Every piece of every bench split."
    return set(B.DEV) | set(B.held_out()) | set(B.held_out_2()) | set(B.held_out_3()) | set(B.held_out_4()) | \
           set(B.held_out_5()) | set(B.held_out_6())

def pool(part:int=1):
    "(name or (file, tune number), group) of the training pool, in a fixed order; `part` 2 takes the other tunes (and plays the chorales again)."
    taken = bench_pieces()
    bach = [rel(p) for p in music21.corpus.getComposer('bach')]
    out = [(b, b) for i, b in enumerate(bach) if i % 15 != 0 and b not in taken and 'choraleAnalyses' not in b and b != 'bach/bwv846']
    out += [(b, b) for b in ('beethoven/opus132', 'beethoven/opus133')]
    ho6_titles = {_title(B.load_piece(n)) for n in B.held_out_6() if '#' in n}
    ryan = [rel(p) for p in music21.corpus.getComposer('ryansMammoth')]
    out += [(r, r) for i, r in enumerate(ryan) if i % 3 == part - 1 and i % 100 != 50 and r not in taken
            and not clash(_norm(r.split('/')[1]), ho6_titles)]
    for c, step in (('airdsAirs', 10), ('nottingham-dataset', 10), ('essenFolksong', 10)):
        for p in music21.corpus.getComposer(c):
            out += [((rel(p), k), rel(p)) for k in range(0 if part == 1 else step // 2, 10 ** 4, step)]   # tune indices, resolved when read
    return out, ho6_titles

def truth_meter(s)->tuple:
    ts = s.recurse().getElementsByClass('TimeSignature')
    bars = [float(m.offset) for m in s.parts[0].getElementsByClass('Measure')]
    return (ts[0].ratioString if ts else '4/4'), (bars[1] if len(bars) > 1 else None)

def performance(s, i:int, drift:bool)->dict:
    "One training performance of score `s`: notes, beats, grid positions and the truth needed for labels."
    rng = np.random.default_rng(5000 + i)
    notes, qpm, truth, s24 = corpus_performance(s, 0.02, float(rng.uniform(0.9, 1.1)), seed=10_000 + i, max_measures=24)
    if drift: notes = B.drifted(notes, 0.1)
    notes = _as_notes(notes)
    grid = track_beats(notes); q_on, q_off = _quantize(notes, grid)
    ts, bar1 = truth_meter(s24)
    return dict(notes=np.array([(n.pitch, n.start, n.end, n.velocity) for n in notes]), beats=grid.beats, sub=grid.sub,
                q_on=np.array([float(x) for x in q_on]), q_off=np.array([float(x) for x in q_off]),
                true_off=np.array([float(t['offset']) for t in truth]), true_ts=ts, bar1=bar1, qpm=qpm)

def collect(out:Path, part:int=1):
    warnings.filterwarnings('ignore')
    items, titles = pool(part); data = []; t0 = time.time(); opus = {}
    for i, (name, group) in enumerate(items):
        try:
            if isinstance(name, tuple):
                f, k = name
                if f not in opus: opus[f] = list(music21.corpus.parse(f).scores)
                if k >= len(opus[f]): continue
                s = opus[f][k]
                if clash(_title(s), titles): continue
                label = f'{f}#{k}'
            else: s = music21.corpus.parse(name); label = name
            r = performance(s, i + 100_000 * (part - 1), drift=(i % 4 == 3 - part + 1))
        except Exception as ex: print(f'{name}: skipped ({type(ex).__name__}: {ex})', flush=True); continue
        r.update(piece=label, group=group); data.append(r)
        if len(data) % 100 == 0: print(f'{len(data)} performances, {time.time() - t0:.0f} s', flush=True)
    pickle.dump(data, open(out, 'wb'))
    print(f'{len(data)} performances from {len(items)} pool entries in {time.time() - t0:.0f} s -> {out}')

SUPPORTED = {'2/4', '3/4', '4/4', '2/2', '6/8', '3/8', '9/8', '12/8'}

def _shift(r:dict)->float|None:
    "The score's offset of the grid (quarters) when the beats are at the score's level (most onsets agree on it), else None."
    bq = 1. if r['sub'] == 2 else 1.5
    d = np.round((r['q_on'] * bq - r['true_off']) * 48) / 48   # grid position (quarters) minus the score's offset
    vals, cnt = np.unique(d, return_counts=True)
    return None if cnt.max() < 0.5 * len(d) or r['bar1'] is None else vals[np.argmax(cnt)]

def _in_place(r:dict, c:float, L:int, p:int)->bool:
    "Whether a bar of `L` eighths with its downbeat at eighth `p` of the grid puts a bar line on the score's second bar line."
    v = (r['bar1'] + c - p * 0.5) / (L * 0.5); return abs(v - round(v)) < 1e-6

def labels(r:dict, cands:list)->tuple:
    "Which candidates are right: meter and bar lines (when the beats are at the score's level), else meter only; and whether bar lines were checked."
    c = _shift(r)
    if c is None: return np.array([ts == r['true_ts'] for ts, L, b, p in cands]), False
    return np.array([ts == r['true_ts'] and _in_place(r, c, L, p) for ts, L, b, p in cands]), True

def labels_duple(r:dict, cands:list)->np.ndarray|None:
    "Right with 2/4, 4/4 and 2/2 taken as one (a duple candidate whose bar lines fall on the score's, for the shorter of the two bars); None when the score is not in one of them."
    if r['true_ts'] not in B.DUPLE: return None
    c = _shift(r); Lt = int(B.bar_ql(r['true_ts']) * 2)
    return np.array([ts in B.DUPLE and (c is None or _in_place(r, c, min(L, Lt), p)) for ts, L, b, p in cands])

def is_val(group:str)->bool: return int(hashlib.md5(group.encode()).hexdigest(), 16) % 5 == 0

def shortened(r:dict, i:int)->dict|None:
    "Performance `r` cut after its first 4 to 12 bars (drawn with seed `i`): users play short excerpts too."
    if r['bar1'] is None: return None
    k = int(np.random.default_rng(20_000 + i).integers(4, 13))
    keep = r['true_off'] < r['bar1'] + k * float(B.bar_ql(r['true_ts']))
    if keep.sum() < 8 or keep.all(): return None
    return dict(r, notes=r['notes'][keep], q_on=r['q_on'][keep], q_off=r['q_off'][keep], true_off=r['true_off'][keep], piece=r['piece'] + f' (first {k} bars)')

def featurize(data:list, short:bool=True)->list:
    "Candidates, features and labels of each performance, and (`short`) of a shortened copy of each."
    out = []
    for i, r0 in enumerate(data):
        for r in [r0] + ([shortened(r0, i)] if short else []):
            if r is None: continue
            notes = [pretty_midi.Note(int(v), int(p), s, e) for p, s, e, v in r['notes']]
            qpm = 60 / np.median(np.diff(r['beats'])) * (1 if r['sub'] == 2 else 1.5)
            cands, X = meter_features(notes, r['q_on'], r['sub'], qpm)
            y, checked = labels(r, cands); yd = labels_duple(r, cands)
            out.append(dict(piece=r['piece'], group=r['group'], true_ts=r['true_ts'], cands=cands, X=X, y=y, y_duple=y if yd is None else y | yd,
                            checked=checked, short=r is not r0))
    return out

def evaluate(model:MeterModel, items:list)->dict:
    "Meter right, 2/2 as 4/4 counted right, 2/4, 4/4 and 2/2 as one, and meter with bar lines in place, % of `items` (supported meters only)."
    items = [it for it in items if it['true_ts'] in SUPPORTED]; n = dict(meter=0, meter_22=0, meter_duple=0, bar_lines=0)
    for it in items:
        j = int(np.argmax(model.scores(it['X']))); ts = it['cands'][j][0]
        n['meter'] += ts == it['true_ts']; n['meter_22'] += ts == it['true_ts'] or {ts, it['true_ts']} == {'2/2', '4/4'}
        n['meter_duple'] += ts == it['true_ts'] or {ts, it['true_ts']} <= B.DUPLE
        n['bar_lines'] += bool(it['checked'] and it['y'][j])
    return {k: round(100 * v / max(1, len(items)), 1) for k, v in n.items()} | dict(n=len(items))

def fit(data_path:Path, out:Path, hidden:int=32, lam:float=1e-2, duple:bool=False):
    t0 = time.time(); data = []
    for p in sorted(data_path.parent.glob(data_path.stem + '*.pkl')): data += pickle.load(open(p, 'rb')); print('read', p)
    items = featurize(data); t1 = time.time()
    usable = lambda its: [it for it in its if it['y'].any()]
    tr = [it for it in items if not is_val(it['group'])]; va = [it for it in items if is_val(it['group'])]
    print(f'{len(items)} performances ({len(usable(items))} with a right candidate), features in {t1 - t0:.0f} s; '
          f'train {len(tr)}, validation {len(va)}')
    if duple:   # an experiment: the duple meters as one label; measured on the validation part only, nothing saved
        m = fit_meter_model([it['X'] for it in tr if it['y_duple'].any()], [it['y_duple'] for it in tr if it['y_duple'].any()], hidden, lam)
        print(f'trained with 2/4, 4/4 and 2/2 as one label: validation {evaluate(m, [it for it in va if not it["short"]])}, '
              f'with the short excerpts {evaluate(m, va)}'); return
    m = fit_meter_model([it['X'] for it in usable(tr)], [it['y'] for it in usable(tr)], hidden, lam)
    print(f'trained on the training part in {time.time() - t1:.0f} s: train {evaluate(m, tr)}, validation {evaluate(m, [it for it in va if not it["short"]])}, '
          f'validation, first 4-12 bars: {evaluate(m, [it for it in va if it["short"]])}')
    t2 = time.time(); m = fit_meter_model([it['X'] for it in usable(items)], [it['y'] for it in usable(items)], hidden, lam)
    m.save(out); print(f'trained on all in {time.time() - t2:.0f} s -> {out} ({out.stat().st_size // 1024} KB); total {time.time() - t0:.0f} s')

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('stage', choices=['collect', 'fit'])
    ap.add_argument('--part', type=int, default=1, help='collect: 1 or 2 (the other tunes)')
    ap.add_argument('--hidden', type=int, default=32); ap.add_argument('--lam', type=float, default=1e-2)
    ap.add_argument('--duple', action='store_true', help='fit: an experiment, the duple meters as one label (validation only, nothing saved)')
    ap.add_argument('--data', default='/tmp/meter_data.pkl'); ap.add_argument('--out', default=str(Path(__file__).parents[1] / 'pianoscore/weights/meter.pt'))
    a = ap.parse_args()
    if a.stage == 'collect': collect(Path(str(a.data).replace('.pkl', f'{a.part}.pkl') if a.part > 1 else a.data), a.part)
    else: fit(Path(a.data), Path(a.out), a.hidden, a.lam, a.duple)

if __name__ == '__main__': main()
