"""Fine-tuning of the mask classifier (PyTorch): Keras weight port, data, augmentation, export."""
