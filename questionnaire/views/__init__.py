"""Views of the municipal teams: start page, team management and sharing agreements.

Every view gets its municipality through `compass.access`; none checks a role itself.
"""
