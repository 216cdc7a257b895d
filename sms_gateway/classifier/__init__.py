"""Complaint classifier: SP4N-LAPOR! top-level category with a calibrated confidence.

`predict` (numpy only, safe in the web process) lives in `sms_gateway.classifier.predict`;
`train` and `evaluate` import scikit-learn and belong to the CLI and the workers only.
Nothing is imported or loaded here: the model loads lazily on the first prediction.
"""
