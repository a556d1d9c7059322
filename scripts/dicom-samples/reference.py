"""Reference reading of DICOM sample folders with pydicom (+ GDCM, Pillow), to
compare with scripts/dicom-samples/sweep.ts. Each file is read in its own
process because GDCM can abort on damaged codestreams.

Debian: apt-get install python3-pydicom python3-numpy python3-gdcm python3-pil
  /usr/bin/python3 scripts/dicom-samples/reference.py <folder>... > reference.jsonl
"""
import json
import os
import subprocess
import sys


def read_one(path):
    import warnings

    warnings.filterwarnings("ignore")
    import pydicom

    ds = pydicom.dcmread(path, force=True)
    if "TransferSyntaxUID" not in ds.file_meta:
        # a bare data set: say how pydicom found it encoded
        ds.file_meta.TransferSyntaxUID = (
            "1.2.840.10008.1.2" if ds.is_implicit_VR else "1.2.840.10008.1.2.1" if ds.is_little_endian else "1.2.840.10008.1.2.2"
        )
    pixels = ds.pixel_array
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    first = pixels[0] if frames > 1 else pixels
    return {"ok": True, "shape": list(pixels.shape), "dtype": str(pixels.dtype), "meanOfFirstFrameStored": float(first.mean())}


def main():
    if sys.argv[1] == "--one":
        try:
            result = read_one(sys.argv[2])
        except Exception as error:  # the reader's own words are the point here
            result = {"ok": False, "error": f"{type(error).__name__}: {error}"[:200]}
        print(json.dumps(result))
        return
    for folder in sys.argv[1:]:
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            run = subprocess.run([sys.executable, __file__, "--one", path], capture_output=True, text=True, timeout=120)
            lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
            result = json.loads(lines[-1]) if lines else {"ok": False, "error": f"reader crashed (exit {run.returncode})"}
            print(json.dumps({"file": name, **result}), flush=True)


if __name__ == "__main__":
    main()
