"""Engraving benchmark: corpus pieces played with timing jitter and a tempo change, engraved, written as MusicXML and
read back. Prints, per piece and overall: tempo within 5% (double/half reported apart), meter right, onsets at the
right grid position, pitches kept after the MusicXML round trip, and the hand split against the score's staves.

Pieces (first 24 bars of each). DEV was used to tune the engraver. HELD-OUT-1 follows a rule fixed before any result:
every other movement in the corpus of Mozart's quartets K.155, K.156 and K.80 and of Haydn's op. 1 no. 1 (those
not in DEV), and every 60th Bach chorale in `music21.corpus.getComposer('bach')` order. After HELD-OUT-1 was measured
once, the meter rules were tuned again on DEV and HELD-OUT-1 together, so HELD-OUT-1 is no longer unseen; HELD-OUT-2,
fixed by rule before that tuning's results were measured on it, is: every 60th Bach chorale starting at the 30th,
Clara Schumann's polonaises op. 1 nos. 2-4 and op. 17 movement 3, and Haydn's quartet op. 74 no. 1, movements 1-4.
HELD-OUT-2 was then measured (meter 60%); its printed misses (meter per piece) were seen, but the meter rules that
followed (compound meters found on the eighths, 3/8) were tuned on DEV and HELD-OUT-1 only. HELD-OUT-3, fixed by this
rule before those rules were measured on it and measured once after: every movement of Beethoven's string quartets
op. 18 no. 1 and op. 59 nos. 1-3 stored as its own .mxl file in `music21.corpus.getComposer('beethoven')` (16
movements), and Robert Schumann's quartet op. 41 no. 1, movements 1-5 (composers not used before; their first time
signatures are 3/4 x5, 2/4 x4, 4/4 x4, 6/8 x3, 2/2 x3, 9/8, 3/8). HELD-OUT-3 was measured (meter 48%) and one change
followed (12/8 needing as much evidence over 6/8 as 6/8 over 3/8: 52%), so HELD-OUT-3 is seen too. HELD-OUT-4, fixed by
this rule before any later change was measured on it: Mozart's K.458 movements 2-4; the Beethoven quartets stored as
one file each (op. 18 nos. 3, 4, 5 and op. 74: the file's first movement); every 60th Bach chorale starting at the 15th
in `getComposer('bach')` order; and the single corpus piece of each of Handel, Schubert, Corelli, Weber, Verdi, Beach,
J. R. Johnson and Liliuokalani (22 pieces; first time signatures 4/4 x9, 3/4 x7, 6/8 x2, 2/4, 2/2, 3/8).
HELD-OUT-4 was measured once (meter 77%); one change followed (12/8 no longer proposed: it came out 4 times on
HELD-OUT-2/3/4, each time for a 6/8 or 3/8). HELD-OUT-5, fixed by this rule before that change was measured on it:
every 60th Bach chorale starting at the 45th in `getComposer('bach')` order, and every 100th tune of
`getComposer('ryansMammoth')` starting at the 50th (fiddle tunes: one melody line, no bass or harmony to lean on).
HELD-OUT-5 was measured once after that change (meter 28%, the same as the original rules).
HELD-OUT-6, fixed by this rule before the learned meter chooser (`score.meter_model`) was built, and measured once at
the end (the old rules measured on it at the same time): every 60th entry of `getComposer('bach')` starting at the 5th
that is a score (the choraleAnalyses .rntxt left out; 7 chorales); every 10th .mxl of `getComposer('monteverdi')`
starting at the 5th (5 madrigals); every 12th piece of `getComposer('trecento')` starting at the 6th (9 pieces); and
the O'Neill's 1850 tunes numbered (X:) 25, 125, ..., 1825, each read from the first `getComposer('oneills1850')` file
whose number range holds it (19 tunes). 40 pieces; first time signatures 4/4 x15, 2/4 x6, 6/8 x6, 2/2 x5, 3/4 x4,
9/8, 6/4, 7/2, 36/4 (the last three no meter estimate proposes). None of Monteverdi, the trecento pieces and O'Neill's
collection is used to train the meter chooser, nor are the chorales of any split or Ryan's Mammoth tunes sharing a title
with a HELD-OUT-6 tune (see bench/train_meter.py). HELD-OUT-6 was measured once with the first learned weights (meter
70%, bar lines in place 62%; the rules: 40%, 40%); the weights were then retrained with short excerpts added, because
they failed a test on K.545's first 6 bars (nothing seen on HELD-OUT-6 led to it), and give 70% and 65% there.

Meter right means the time signature string equals the score's first one. Also printed: the same with 2/2 written as
4/4 counted right (the bar, the beats and the bar lines are the same; only the note value called the beat differs, and
nothing in a played performance tells them apart); with 2/4, 4/4 and 2/2 taken as one (editors write the same duple
tune in any of them: `bench/editors_meter.py` finds two collections agreeing on the time signature of the same duple
tune 6 times in 14, and always up to this equivalence), bar length right, and bar lines in place (meter right and the
score's bar lines fall on the engraving's bar lines, after the onset alignment below).

Run: OMP_NUM_THREADS=1 python bench/bench_engrave.py [--split dev|held-out-1|...|held-out-6|all] [--jitter 0.02] [--drift 0.1] [--meter-chooser learned|rules]
(--drift: the tempo also swings sinusoidally by that fraction, 1.5 cycles over the excerpt, as in rubato.)
"""
import argparse, sys, time, tempfile, warnings
from collections import Counter
from fractions import Fraction
from pathlib import Path
import numpy as np, music21
from pianoscore.score import corpus_performance, engrave, split_middle_c, write_musicxml

DEV = ['mozart/k545/movement1_exposition', 'joplin/maple_leaf_rag', 'bach/bwv846', 'chopin/mazurka06-2',
       'schumann_clara/polonaise_op1n1', 'cpebach/h186', 'haydn/opus1no1/movement1', 'mozart/k458/movement1',
       'mozart/k80/movement1', 'haydn/opus1no1/movement5']
PIANO = {'mozart/k545/movement1_exposition', 'joplin/maple_leaf_rag', 'bach/bwv846', 'chopin/mazurka06-2',
         'schumann_clara/polonaise_op1n1', 'cpebach/h186', 'schumann_clara/polonaise_op1n2',
         'schumann_clara/polonaise_op1n3', 'schumann_clara/polonaise_op1n4'}   # two staves = two hands: hand split is scored

def held_out():
    rel = lambda p: str(p).split('corpus/')[-1].rsplit('.', 1)[0]
    qs = [rel(p) for c in ('mozart', 'haydn') for p in music21.corpus.getComposer(c)
          if any(k in str(p) for k in ('k155', 'k156', 'k80', 'opus1no1'))]
    bach = [rel(p) for p in music21.corpus.getComposer('bach')][::60]
    return [p for p in dict.fromkeys(qs + bach) if p not in DEV]

def held_out_2():
    rel = lambda p: str(p).split('corpus/')[-1].rsplit('.', 1)[0]
    bach = [rel(p) for p in music21.corpus.getComposer('bach')][30::60]
    return bach + [f'schumann_clara/polonaise_op1n{i}' for i in (2, 3, 4)] + ['schumann_clara/opus17/movement3'] + \
           [f'haydn/opus74no1/movement{i}' for i in (1, 2, 3, 4)]

def held_out_3():
    rel = lambda p: str(p).split('corpus/')[-1].rsplit('.', 1)[0]
    b = [rel(p) for p in music21.corpus.getComposer('beethoven')
         if ('opus18no1/' in str(p) or 'opus59no' in str(p)) and str(p).endswith('.mxl')]
    return b + [f'schumann_robert/opus41no1/movement{i}' for i in range(1, 6)]

def held_out_4():
    rel = lambda p: str(p).split('corpus/')[-1].rsplit('.', 1)[0]
    bee = [rel(p) for p in music21.corpus.getComposer('beethoven')
           if any(f'/{k}.mxl' in str(p) for k in ('opus18no3', 'opus18no4', 'opus18no5', 'opus74'))]
    bach = [rel(p) for p in music21.corpus.getComposer('bach')][15::60]
    one = [rel(p) for c in ('handel', 'schubert', 'corelli', 'weber', 'verdi', 'beach', 'johnson_j_r', 'liliuokalani')
           for p in music21.corpus.getComposer(c)]
    return [f'mozart/k458/movement{i}' for i in (2, 3, 4)] + bee + bach + one

def held_out_5():
    rel = lambda p: str(p).split('corpus/')[-1].rsplit('.', 1)[0]
    return [rel(p) for p in music21.corpus.getComposer('bach')][45::60] + \
           [rel(p) for p in music21.corpus.getComposer('ryansMammoth')][50::100]

def held_out_6():
    rel = lambda p: str(p).split('corpus/')[-1].rsplit('.', 1)[0]
    bach = [rel(p) for p in music21.corpus.getComposer('bach')][5::60]
    mon = [rel(p) for p in music21.corpus.getComposer('monteverdi') if str(p).endswith('.mxl')][5::10]
    tre = [rel(p) for p in music21.corpus.getComposer('trecento')][6::12]
    files = [rel(p) for p in music21.corpus.getComposer('oneills1850')]
    def where(n): return next(f for f in files if int(f.split('/')[-1][:4]) <= n <= int(f.split('/')[-1][5:9]))
    return [b for b in bach if 'choraleAnalyses' not in b] + mon + tre + [f'{where(n)}#{n}' for n in range(25, 1851, 100)]

def load_piece(name):
    "A corpus name, or a music21 Score for 'collection/file#N' (tune N of a many-tune file)."
    if '#' not in name: return name
    path, n = name.split('#'); return music21.corpus.parse(path, number=int(n))

DUPLE = {'2/4', '4/4', '2/2'}   # editors write the same duple tune in any of these (bench/editors_meter.py)

def bar_ql(ts): n, d = map(int, ts.split('/')); return Fraction(4 * n, d)

def drifted(notes, depth, cycles=1.5):
    "Notes played with a tempo that swings sinusoidally by +-`depth` over the piece (rubato)."
    T = max(n.end for n in notes); tt = np.linspace(0, T + 1, 4000); rate = 1 + depth * np.sin(2 * np.pi * cycles * tt / T)
    warp = np.concatenate([[0], np.cumsum(np.diff(tt) / rate[1:])])
    return [type(n)(n.velocity, n.pitch, float(np.interp(n.start, tt, warp)), float(np.interp(n.end, tt, warp))) for n in notes]

def run(name, jitter, factor, seed, max_measures=24, drift=0., meter_chooser='learned'):
    notes, qpm, truth, s = corpus_performance(load_piece(name), jitter, factor, seed, max_measures)
    if drift:   # the mean tempo is kept within a percent or two; the truth stays the mean
        notes = drifted(notes, drift)
    ts0 = s.recurse().getElementsByClass('TimeSignature')
    true_ts = ts0[0].ratioString if ts0 else '4/4'
    bars = [Fraction(m.offset).limit_denominator(48) for m in s.parts[0].getElementsByClass('Measure')]
    e = engrave(notes, title=name, meter_chooser=meter_chooser)
    with tempfile.TemporaryDirectory() as d:
        xml = write_musicxml(e.score, Path(d) / 'x.musicxml')
        back = music21.converter.parse(str(xml))
    est = []
    for part in back.parts:
        for n in part.stripTies().flatten().notes:
            est += [(Fraction(n.offset).limit_denominator(48), p.midi) for p in n.pitches]
    tr = [(t['offset'], t['pitch']) for t in truth]
    # the score may start with a different amount of rest: align by the most common offset difference
    d = Counter(a[0] - b[0] for a in est[:200] for b in tr[:200] if a[1] == b[1] and abs(a[0] - b[0]) < 16)
    shift = d.most_common(1)[0][0] if d else 0
    hit = sum((Counter((o - shift, p) for o, p in est) & Counter(tr)).values())
    kept = sum((Counter(p for _, p in est) & Counter(p for _, p in tr)).values())
    ratio = e.tempo / qpm
    same = lambda a, b: a == b or {a, b} == {'2/2', '4/4'}
    duple = lambda a, b: a == b or {a, b} <= DUPLE
    in_place = len(bars) > 1 and (bars[1] + shift) % bar_ql(e.meter) == 0   # a true bar line on an engraved one
    r = dict(piece=name, true_tempo=qpm, tempo=e.tempo, tempo_ok=abs(ratio - 1) <= 0.05,
             tempo_octave=any(abs(ratio / m - 1) <= 0.05 for m in (0.5, 2, 1 / 3, 3, 1.5, 2 / 3)),
             true_meter=true_ts, meter=e.meter, meter_ok=e.meter == true_ts, meter_ok_22=same(e.meter, true_ts), meter_ok_duple=duple(e.meter, true_ts), bar_ok=bar_ql(e.meter) == bar_ql(true_ts),
             downbeat_ok=bool(same(e.meter, true_ts) and in_place),
             onsets=hit / len(tr), pitches=kept / len(tr), n=len(tr))
    if name in PIANO:
        parts = np.array([t['part'] for t in truth])
        r['hands'] = float(np.mean(e.hands == 1 - parts)); r['hands_middle_c'] = float(np.mean(split_middle_c(notes) == 1 - parts))
    return r

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--split', default='all'); ap.add_argument('--jitter', type=float, default=0.02); ap.add_argument('--drift', type=float, default=0., help='tempo swinging by +-this fraction (rubato), e.g. 0.1')
    ap.add_argument('--meter-chooser', default='learned', choices=['learned', 'rules'], help="engrave's meter_chooser: the learned model or the rules")
    a = ap.parse_args(); warnings.filterwarnings('ignore')
    lists = {'dev': lambda: DEV, 'held-out-1': held_out, 'held-out-2': held_out_2, 'held-out-3': held_out_3, 'held-out-4': held_out_4, 'held-out-5': held_out_5, 'held-out-6': held_out_6}
    for split, pieces in lists.items():
        if a.split not in (split, 'all'): continue
        pieces = pieces()
        rows = []; t0 = time.time()
        for i, name in enumerate(pieces):
            factor = float(np.random.default_rng(1000 + i).uniform(0.9, 1.1))
            try: r = run(name, a.jitter, factor, seed=i, drift=a.drift, meter_chooser=a.meter_chooser)
            except Exception as ex: print(f"{name}: FAILED {type(ex).__name__}: {ex}"); r = dict(piece=name, tempo_ok=False, tempo_octave=False, meter_ok=False, meter_ok_22=False, meter_ok_duple=False, bar_ok=False, downbeat_ok=False, onsets=0., pitches=0., n=0, failed=True)
            rows.append(r)
            if 'tempo' in r:
                print(f"{name:40s} tempo {r['tempo']:6.1f}/{r['true_tempo']:6.1f} {'ok ' if r['tempo_ok'] else 'x2 ' if r['tempo_octave'] else 'BAD'}  "
                      f"meter {r['meter']:>4s}/{r['true_meter']:<4s} {'ok' if r['meter_ok'] else '~ ' if r['meter_ok_22'] else '--'}{'|' if r['downbeat_ok'] else ' '} onsets {r['onsets']:.3f} pitches {r['pitches']:.3f}"
                      + (f"  hands {r['hands']:.3f} (middle C {r['hands_middle_c']:.3f})" if 'hands' in r else ''), flush=True)
        m = lambda k: 100 * np.mean([r[k] for r in rows])
        print(f"== {split}: {len(rows)} pieces, {time.time() - t0:.0f} s, jitter {a.jitter * 1000:.0f} ms, tempo x0.9-1.1"
              + (f", tempo swinging +-{a.drift:.0%}" if a.drift else '') + f", meter by {a.meter_chooser}\n"
              f"   tempo within 5%: {m('tempo_ok'):.0f}%  (off by a factor 2/3/1.5 instead: {m('tempo_octave'):.0f}%)\n"
              f"   meter right: {m('meter_ok'):.0f}%  (2/2 as 4/4 counted right: {m('meter_ok_22'):.0f}%; 2/4, 4/4 and 2/2 taken as one: {m('meter_ok_duple'):.0f}%; bar length right: {m('bar_ok'):.0f}%; "
              f"meter right, 2/2 as 4/4, and bar lines in place: {m('downbeat_ok'):.0f}%)\n"
              f"   onsets at the right grid position: {m('onsets'):.1f}%  (mean over pieces; over the pieces whose tempo is right: "
              f"{100 * np.mean([r['onsets'] for r in rows if r['tempo_ok']] or [0]):.1f}%)\n"
              f"   notes kept with the right pitch after the MusicXML round trip: {m('pitches'):.1f}%")
        hs = [r for r in rows if 'hands' in r]
        if hs: print(f"   hand split agreement with the staves (piano pieces): {100 * np.mean([r['hands'] for r in hs]):.1f}% "
                     f"(fixed middle-C split: {100 * np.mean([r['hands_middle_c'] for r in hs]):.1f}%)")

if __name__ == '__main__': main()
