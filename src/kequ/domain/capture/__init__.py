"""Quick capture: one line in plain Chinese ("下周三回访王总，带样品") read into what happened,
what comes next and when. Pure: the customers and the working days come in as values."""
