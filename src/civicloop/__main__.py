from civicloop.cli import main

main()
