from jushou_cli.cli.app import main

main()
