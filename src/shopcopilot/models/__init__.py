"""Adapters to the bundled models (embedder, llm, ocr, cutout, ...). Each adapter is its own module, imported on
demand so that importing the package stays cheap."""
