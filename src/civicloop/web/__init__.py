"""web — the staff web shell: login, layout, navigation, home, places browser."""
