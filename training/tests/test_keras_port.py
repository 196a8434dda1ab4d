"""The PyTorch port of the nsfwjs MobileNetV2 reproduces tfjs's own outputs."""
import json
import unittest
from pathlib import Path

import numpy as np
import torch

from maskwatch_training.keras_port import KerasGraph, load_tfjs_weights
from maskwatch_training.synthetic_pattern import synthetic_pattern

ROOT = Path(__file__).resolve().parents[2]
BACKBONE = ROOT / "models" / "mobilenetv2-nsfwjs" / "model.json"
REFERENCE = ROOT / "training" / "fixtures" / "tfjs-backbone-reference.json"
# Float32 engines with different summation orders over 52 layers agree to ~2e-6 of the features' scale
# (measured); padding on the wrong side or a transposed kernel is off by more than 1.
TOLERANCE = 1e-5


class KerasPortTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = KerasGraph(BACKBONE).eval()

    def test_dequantises_every_weight_of_the_manifest(self):
        weights = load_tfjs_weights(BACKBONE)
        self.assertEqual(len(weights), 260)
        self.assertEqual(weights["Conv1/kernel"].shape, (3, 3, 3, 32))

    def test_matches_tfjs_features_on_reference_patterns(self):
        reference = json.loads(REFERENCE.read_text())
        for case in reference["cases"]:
            image = synthetic_pattern(case["index"], case["size"], case["size"])
            x = torch.from_numpy(image).permute(2, 0, 1)[None].float() / 255
            with torch.no_grad():
                features = self.model(x)[0].numpy()
            expected = np.array(case["features"], np.float32)
            scale = np.abs(expected).max()
            err = np.abs(features - expected).max() / scale
            self.assertLess(err, TOLERANCE, f"pattern {case['index']} at {case['size']} px")

    def test_layer_twenty_is_the_keras_one(self):
        self.assertEqual(self.model.layer_names[20], "block_2_expand_BN")


if __name__ == "__main__":
    unittest.main()
