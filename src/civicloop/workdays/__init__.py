"""workdays — working-day arithmetic on the official Chinese calendar, with administrator-entered days."""
