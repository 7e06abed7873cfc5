"""Export views: each module serves one kind of export; all reach the cycle via compass.access."""
