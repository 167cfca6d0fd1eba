"""Plans (挂图作战): plans, goals, a task tree with milestones and progress reports, the board and Gantt, leader
contacts and the responsibility letters 三书. Vocabulary: `constants.py`; start at README.md."""
