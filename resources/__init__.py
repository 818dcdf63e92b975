"""Resources shipped with the program: reference lists, icons, translations."""
