print("latent-explorer: under construction")
