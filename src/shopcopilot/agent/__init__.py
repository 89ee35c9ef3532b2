"""The engine both faces share: intent router, tools, dialogue state, planner, policy guard."""
