"""The reference-based skill score (`pianoscore.refskill`) on the real sample's sound, placed among rendered takes.

The real sample (`../shared/samples/real_partial_keyboard_righthand.mp4`, a phone video of a right hand) plays the
"Ode to Joy" theme in C (two phrases, 30 notes), written out below as the reference. Its sound is scored against it
with the shipped weights, and so are takes of the same reference made by `pianoscore.perform.degrade` at several
skills and rendered by FluidSynth (FluidR3, acoustic grand, a living room), to show where the real take sits on the
scale. No human label exists for the real take: this checks that a real recording goes through and lands where its
feedback says it should.

Run: OMP_NUM_THREADS=1 python bench/real_refskill.py [RECORDING] [--transcriber spectral|transkun|auto]
"""
import argparse, tempfile, warnings
from pathlib import Path
import pretty_midi

ODE = [(64, 1), (64, 1), (65, 1), (67, 1), (67, 1), (65, 1), (64, 1), (62, 1), (60, 1), (60, 1), (62, 1), (64, 1), (64, 1.5), (62, .5), (62, 2),
       (64, 1), (64, 1), (65, 1), (67, 1), (67, 1), (65, 1), (64, 1), (62, 1), (60, 1), (60, 1), (62, 1), (64, 1), (62, 1.5), (60, .5), (60, 2)]

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('recording', nargs='?', default=str(Path(__file__).resolve().parents[1].parent / 'shared/samples/real_partial_keyboard_righthand.mp4'))
    ap.add_argument('--transcriber', default='spectral', help="how the recordings are heard: 'spectral', 'transkun' or 'auto'")
    a = ap.parse_args(); warnings.simplefilter('ignore')
    from pianoscore.refskill import assess_reference
    from pianoscore.perform import degrade, render_performance
    from pianoscore.media import write_wav
    d = Path(tempfile.mkdtemp()); pm = pretty_midi.PrettyMIDI(initial_tempo=120); inst = pretty_midi.Instrument(0); t = 0.
    for p, q in ODE: inst.notes.append(pretty_midi.Note(80, p, 0.5 + t * 0.5, 0.5 + (t + q) * 0.5 - 0.02)); t += q
    pm.instruments.append(inst); ref = d / 'ode_to_joy.mid'; pm.write(str(ref))
    r = assess_reference(a.recording, ref, transcriber=a.transcriber)
    s = r.feedback.summary
    print(f"real take {Path(a.recording).name}: score {r.score:+.2f}; {s['ok']} of {s['n_reference']} notes right, {s['wrong']} wrong, "
          f"{s['missed']} missed, {s['extra']} extra, {s['early'] + s['late']} early/late, {s['pauses']} pauses, tempo {s['tempo_ratio']:.2f} x the reference")
    for skill in (0.9, 0.7, 0.5, 0.3, 0.1):
        scores = []
        for seed in range(3):
            perf, _ = degrade(pm, skill, seed=seed)
            y, _ = render_performance(perf, sr=22050, seed=seed, soundfont='fluidr3', program=0, room='living_room')
            scores.append(assess_reference(write_wav(d / f'take_{skill}_{seed}.wav', y, 22050), ref, transcriber=a.transcriber).score)
        print(f"rendered takes at skill {skill}: scores " + ', '.join(f'{x:+.2f}' for x in scores))

if __name__ == '__main__': main()
