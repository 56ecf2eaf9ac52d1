from jushou_cli.cli.start import main

main()
